package elbv2_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestWire sends raw awsQuery requests, as the AWS CLI or a hand-written
// client would, and checks the XML documents.
func TestWire(t *testing.T) {
	e := newEnv(t)
	post := func(t *testing.T, form string) (int, string, http.Header) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+"/", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp.Header
	}
	type errorDoc struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		Type    string   `xml:"Error>Type"`
		Code    string   `xml:"Error>Code"`
		Message string   `xml:"Error>Message"`
		ID      string   `xml:"RequestId"`
	}
	errorTests := []struct {
		name, form, code, part string
	}{
		{"unknown action", "Action=Frobnicate&Version=2015-12-01", "InvalidAction", "not valid for this web service"},
		{"trust stores are not served", "Action=CreateTrustStore&Version=2015-12-01&Name=ts", "InvalidAction", "not supported by this emulator"},
		{"malformed integer", "Action=CreateTargetGroup&Version=2015-12-01&Name=a&Port=eighty", "ValidationError", "'Port'"},
		{"malformed list index", "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.first=a", "ValidationError", "index"},
		{"modeled error", "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=none", "TargetGroupNotFound", "One or more target groups not found"},
	}
	for _, tc := range errorTests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := post(t, tc.form)
			if status != http.StatusBadRequest || h.Get("Content-Type") != "text/xml" {
				t.Errorf("status %d, Content-Type %q", status, h.Get("Content-Type"))
			}
			var doc errorDoc
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("error body %q: %v", body, err)
			}
			if doc.Type != "Sender" || doc.Code != tc.code || !strings.Contains(doc.Message, tc.part) || doc.ID == "" {
				t.Errorf("error = %+v", doc)
			}
		})
	}

	t.Run("success document", func(t *testing.T) {
		status, body, h := post(t, url.Values{
			"Action": {"CreateTargetGroup"}, "Version": {"2015-12-01"}, "Name": {"my-targets"}, "Protocol": {"HTTP"},
			"Port": {"80"}, "VpcId": {"vpc-3ac0fb5f"}, "TargetType": {"ip"}, "Tags.member.1.Key": {"env"}, "Tags.member.1.Value": {"dev"},
		}.Encode())
		if status != http.StatusOK || h.Get("Content-Type") != "text/xml" || h.Get("x-amzn-RequestId") == "" {
			t.Fatalf("status %d headers %v body %s", status, h, body)
		}
		for _, part := range []string{
			`<CreateTargetGroupResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><CreateTargetGroupResult><TargetGroups><member>`,
			`<TargetGroupName>my-targets</TargetGroupName>`, `<HealthCheckPort>traffic-port</HealthCheckPort>`,
			`<Matcher><HttpCode>200</HttpCode></Matcher>`, `<LoadBalancerArns></LoadBalancerArns>`,
			`</CreateTargetGroupResult><ResponseMetadata><RequestId>`,
		} {
			if !strings.Contains(body, part) {
				t.Errorf("body lacks %s:\n%s", part, body)
			}
		}
	})
	t.Run("empty result", func(t *testing.T) {
		status, body, _ := post(t, "Action=DeleteTargetGroup&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Atargetgroup%2Fx%2F1")
		if status != http.StatusOK || !strings.Contains(body, "<DeleteTargetGroupResult></DeleteTargetGroupResult>") {
			t.Errorf("status %d body %s", status, body)
		}
	})
	t.Run("GET with a query string", func(t *testing.T) {
		resp, err := http.Get(e.url + "/?Action=DescribeLoadBalancers&Version=2015-12-01")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<LoadBalancers></LoadBalancers>") {
			t.Errorf("status %d body %s", resp.StatusCode, body)
		}
	})
}

// TestErrorCodesAreWireCodes pins the decision that needs no mapping
// table: the SDK's ELBv2 error types already answer ErrorCode() with the
// awsQueryError code.
func TestErrorCodesAreWireCodes(t *testing.T) {
	for _, tc := range []struct {
		err  interface{ ErrorCode() string }
		code string
	}{
		{&types.TargetGroupNotFoundException{}, "TargetGroupNotFound"},
		{&types.LoadBalancerNotFoundException{}, "LoadBalancerNotFound"},
		{&types.ALPNPolicyNotSupportedException{}, "ALPNPolicyNotFound"},
		{&types.CapacityDecreaseRequestsLimitExceededException{}, "CapacityDecreaseRequestLimitExceeded"},
		{&types.TrustStoreAssociationNotFoundException{}, "AssociationNotFound"},
	} {
		if got := tc.err.ErrorCode(); got != tc.code {
			t.Errorf("%T.ErrorCode() = %s, want %s", tc.err, got, tc.code)
		}
	}
}
