package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

const ecsTarget = "AmazonEC2ContainerServiceV20141113.ListClusters"

func send(t *testing.T, method, url string, header map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// Only a POST with a JSON content type is a JSON-protocol call; other
// methods and content types match no operation, as on AWS. The same call
// done right is served, and so is the SDK.
func TestJSONCallNeedsPOSTAndJSON(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	jsonHeader := map[string]string{"X-Amz-Target": ecsTarget, "Content-Type": "application/x-amz-json-1.1"}
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		status, _, body := send(t, method, e.URL+"/", jsonHeader, "{}")
		if status != http.StatusBadRequest || !strings.Contains(body, `"__type":"UnknownOperationException"`) {
			t.Errorf("%s: status %d, body %s; want 400 UnknownOperationException", method, status, body)
		}
	}
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "application/xml"} {
		status, _, body := send(t, http.MethodPost, e.URL+"/", map[string]string{"X-Amz-Target": ecsTarget, "Content-Type": ct}, "{}")
		if status != http.StatusBadRequest || !strings.Contains(body, `"__type":"UnknownOperationException"`) {
			t.Errorf("Content-Type %q: status %d, body %s; want 400 UnknownOperationException", ct, status, body)
		}
	}
	for _, ct := range []string{"application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json; charset=utf-8"} {
		status, _, body := send(t, http.MethodPost, e.URL+"/", map[string]string{"X-Amz-Target": ecsTarget, "Content-Type": ct}, "{}")
		if status != http.StatusOK || !strings.Contains(body, "clusterArns") {
			t.Errorf("Content-Type %q: status %d, body %s; want the cluster list", ct, status, body)
		}
	}
	if _, err := e.ECS().ListClusters(context.Background(), &ecs.ListClustersInput{}); err != nil {
		t.Errorf("SDK call: %v", err)
	}
}

// A body over the protocol's limit is refused in the protocol the client
// speaks: JSON for JSON, awsQuery XML for awsQuery, EC2 XML for EC2.
func TestOversizedBodyAnsweredInItsProtocol(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	big := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name        string
		header      map[string]string
		body        string
		contentType string
		want        []string
	}{
		{"json", map[string]string{"X-Amz-Target": ecsTarget, "Content-Type": "application/x-amz-json-1.1"},
			`{"nextToken":"` + big(8<<20) + `"}`, "application/x-amz-json-1.1", []string{`"__type":"RequestEntityTooLarge"`}},
		{"awsQuery", map[string]string{"Content-Type": "application/x-www-form-urlencoded",
			"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x"},
			"Action=DescribeLoadBalancers&Version=2015-12-01&Marker=" + big(1<<20), "text/xml", []string{"<ErrorResponse", "<Code>RequestEntityTooLarge</Code>", "<Type>Sender</Type>"}},
		{"awsQuery unsigned", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			"Action=GetCallerIdentity&Version=2011-06-15&x=" + big(1<<20), "text/xml", []string{"<ErrorResponse", "<Code>RequestEntityTooLarge</Code>"}},
		{"ec2Query", map[string]string{"Content-Type": "application/x-www-form-urlencoded",
			"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x"},
			"Action=DescribeVpcs&Version=2016-11-15&x=" + big(1<<20), "text/xml", []string{"<Response>", "<Errors>", "<Code>RequestEntityTooLarge</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := send(t, http.MethodPost, e.URL+"/", tt.header, tt.body)
			if status != http.StatusRequestEntityTooLarge || !strings.HasPrefix(h.Get("Content-Type"), tt.contentType) {
				t.Errorf("status %d, Content-Type %q; want 413 %s", status, h.Get("Content-Type"), tt.contentType)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%.300s", w, body)
				}
			}
		})
	}
	// Just under the limit is read and answered by the operation.
	status, _, body := send(t, http.MethodPost, e.URL+"/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		"Action=GetCallerIdentity&Version=2011-06-15&x="+big(1<<19))
	if status != http.StatusOK || !strings.Contains(body, "GetCallerIdentityResponse") {
		t.Errorf("a large but allowed body: status %d, %.300s", status, body)
	}
}
