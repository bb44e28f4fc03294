package awsproto

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// The document EC2 writes for DescribeVpcs (spec: cdk-wire-examples.md).
func TestEncodeEC2Document(t *testing.T) {
	out := &ec2.DescribeVpcsOutput{Vpcs: []ec2types.Vpc{{
		VpcId: aws.String("vpc-1"), OwnerId: aws.String("000000000000"), State: ec2types.VpcStateAvailable,
		CidrBlock: aws.String("10.0.0.0/16"), IsDefault: aws.Bool(false), Tags: ec2Tags("Name", "a<b"),
		CidrBlockAssociationSet: []ec2types.VpcCidrBlockAssociation{},
	}}}
	got, err := EncodeEC2("DescribeVpcs", "req-1", EC2Namespace, out)
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>` +
		`<vpcSet><item><cidrBlock>10.0.0.0/16</cidrBlock><cidrBlockAssociationSet></cidrBlockAssociationSet>` +
		`<isDefault>false</isDefault><ownerId>000000000000</ownerId><state>available</state>` +
		`<tagSet><item><key>Name</key><value>a&lt;b</value></item></tagSet><vpcId>vpc-1</vpcId></item></vpcSet>` +
		`</DescribeVpcsResponse>`
	if string(got) != want {
		t.Errorf("EncodeEC2 =\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeEC2Timestamps(t *testing.T) {
	out := &ec2.DescribeKeyPairsOutput{KeyPairs: []ec2types.KeyPairInfo{{KeyName: aws.String("k"), CreateTime: ms(2026, 12, 2, 10, 11, 12, 5)}}}
	got, err := EncodeEC2("DescribeKeyPairs", "r", EC2Namespace, out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "<createTime>2026-12-02T10:11:12.005Z</createTime>") {
		t.Errorf("timestamp not ISO 8601 with milliseconds: %s", got)
	}
}

func TestEncodeEC2EmptyOutputs(t *testing.T) {
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId></DeleteVpcResponse>`
	for _, v := range []any{nil, &ec2.DeleteVpcOutput{}, (*ec2.DeleteVpcOutput)(nil)} {
		got, err := EncodeEC2("DeleteVpc", "r", EC2Namespace, v)
		if err != nil || string(got) != want {
			t.Errorf("EncodeEC2(%T) = %s, %v; want %s", v, got, err, want)
		}
	}
}

func TestEncodeEC2Errors(t *testing.T) {
	type notInTable struct{ Name *string }
	cases := []struct {
		name, action string
		v            any
		want         string
	}{
		{"bad action", "Describe<Vpcs>", &ec2.DescribeVpcsOutput{}, "not an operation name"},
		{"not a struct", "DescribeVpcs", "vpc-1", "is not a struct"},
		{"type outside the table", "DescribeVpcs", &notInTable{Name: aws.String("x")}, "not in the EC2 name table"},
		{"nested type outside the table", "DescribeVpcs", &struct{ Inner *notInTable }{&notInTable{}}, "not in the EC2 name table"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EncodeEC2(tc.action, "r", EC2Namespace, tc.v)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("EncodeEC2 error = %v, want one containing %q", err, tc.want)
			}
			var apiErr smithy.APIError
			if errors.As(err, &apiErr) {
				t.Errorf("a handler bug must not be an API error: %v", err)
			}
		})
	}
}

// A handler bug (an output the codec cannot write) reaches the client as
// EC2's InternalError, 500, and the caller gets the error to log.
func TestWriteEC2EncodingFailure(t *testing.T) {
	rec := httptest.NewRecorder()
	err := WriteEC2(rec, "r", "DescribeVpcs", EC2Namespace, "not a struct")
	if err == nil {
		t.Fatal("WriteEC2 accepted a string output")
	}
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "<Code>InternalError</Code>") {
		t.Errorf("status %d body %s; want 500 InternalError", rec.Code, rec.Body)
	}
}

func TestDecodeEC2(t *testing.T) {
	values := url.Values{
		"Action":                     {"DescribeVpcs"},
		"Version":                    {EC2APIVersion},
		"DryRun":                     {"true"},
		"MaxResults":                 {"+5"},
		"VpcId.2":                    {"vpc-b"},
		"VpcId.10":                   {"vpc-c"},
		"VpcId.1":                    {"vpc-a"},
		"VpcId.x":                    {"ignored: not an index"},
		"VpcId.01":                   {"ignored: leading zero"},
		"Filter.1.Name":              {"tag:Name"},
		"Filter.1.Value.1":           {"web"},
		"Filter.3.Unknown":           {"an item with no known member is absent"},
		"SomeNewParameter":           {"ignored"},
		"Filter.1.NewMember.Value.1": {"ignored"},
	}
	var got ec2.DescribeVpcsInput
	if err := DecodeEC2(values, &got); err != nil {
		t.Fatal(err)
	}
	want := ec2.DescribeVpcsInput{
		DryRun: aws.Bool(true), MaxResults: aws.Int32(5),
		VpcIds:  []string{"vpc-a", "vpc-b", "vpc-c"},
		Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"web"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeEC2 = %s\nwant %s", mustEncode(t, got, AsIs), mustEncode(t, want, AsIs))
	}
}

func TestDecodeEC2InvalidValues(t *testing.T) {
	cases := []struct {
		name   string
		values url.Values
		in     any
		want   string
	}{
		{"integer", url.Values{"MaxResults": {"abc"}}, &ec2.DescribeVpcsInput{}, "Value (abc) for parameter MaxResults is invalid. Expected an integer that fits in 32 bits."},
		{"integer overflow", url.Values{"MaxCount": {"4294967296"}}, &ec2.RunInstancesInput{}, "Value (4294967296) for parameter MaxCount is invalid. Expected an integer that fits in 32 bits."},
		{"boolean", url.Values{"DryRun": {"maybe"}}, &ec2.DescribeVpcsInput{}, "Value (maybe) for parameter DryRun is invalid. Expected a boolean (true or false)."},
		{"nested", url.Values{"IpPermissions.2.FromPort": {"http"}}, &ec2.AuthorizeSecurityGroupIngressInput{}, "Value (http) for parameter IpPermissions.2.FromPort is invalid. Expected an integer that fits in 32 bits."},
		{"struct member", url.Values{"EnableDnsSupport.Value": {"yes"}}, &ec2.ModifyVpcAttributeInput{}, "Value (yes) for parameter EnableDnsSupport.Value is invalid. Expected a boolean (true or false)."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := DecodeEC2(tc.values, tc.in)
			var e *EC2Error
			if !errors.As(err, &e) {
				t.Fatalf("DecodeEC2 = %v, want an *EC2Error", err)
			}
			if e.Code != "InvalidParameterValue" || e.Message != tc.want {
				t.Errorf("got %s: %s\nwant InvalidParameterValue: %s", e.Code, e.Message, tc.want)
			}
		})
	}
}

func TestDecodeEC2ProgrammingErrors(t *testing.T) {
	type notInTable struct{ Name *string }
	for _, v := range []any{nil, ec2.DescribeVpcsInput{}, (*ec2.DescribeVpcsInput)(nil), new(string), &notInTable{}} {
		err := DecodeEC2(url.Values{"Name": {"x"}}, v)
		var apiErr smithy.APIError
		if err == nil || errors.As(err, &apiErr) {
			t.Errorf("DecodeEC2(%T) = %v, want a plain (non-API) error", v, err)
		}
	}
}

func TestWriteEC2Error(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		status     StatusFunc
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"not found", &EC2Error{Code: "InvalidVpcID.NotFound", Message: "The vpc ID 'vpc-1' does not exist"}, nil, 400, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist"},
		{"dry run", &EC2Error{Code: "DryRunOperation", Message: "Request would have succeeded, but DryRun flag is set."}, nil, 412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set."},
		{"unauthorized", &EC2Error{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}, nil, 403, "UnauthorizedOperation", "You are not authorized to perform this operation."},
		{"throttled", &EC2Error{Code: "RequestLimitExceeded", Message: "Request limit exceeded."}, nil, 503, "RequestLimitExceeded", "Request limit exceeded."},
		{"wrapped", errors.Join(errors.New("context"), &EC2Error{Code: "InvalidParameterValue", Message: "bad <value> & more"}), nil, 400, "InvalidParameterValue", "bad <value> & more"},
		{"server fault", &smithy.GenericAPIError{Code: "Unavailable", Message: "down", Fault: smithy.FaultServer}, nil, 503, "Unavailable", "down"},
		{"bug", errors.New("nil pointer somewhere"), nil, 500, "InternalError", "An internal error has occurred"},
		{"explicit status", &EC2Error{Code: "DryRunOperation", Message: "m"}, DefaultStatus, 400, "DryRunOperation", "m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteEC2Error(rec, "req-9", tc.err, tc.status)
			if rec.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			var doc ec2ErrorResponse
			body := rec.Body.String()
			if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("body lacks the XML declaration: %s", body)
			}
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if doc.Errors.Error.Code != tc.wantCode || doc.Errors.Error.Message != tc.wantMsg || doc.RequestID != "req-9" {
				t.Errorf("document %+v, want code %q message %q request req-9", doc, tc.wantCode, tc.wantMsg)
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/xml") {
				t.Errorf("Content-Type = %q", got)
			}
		})
	}
}

// The SDK surfaces EC2 errors with their code, message, status and request
// ID.
func TestEC2ErrorsThroughTheSDK(t *testing.T) {
	cases := []struct {
		err        error
		wantCode   string
		wantMsg    string
		wantStatus int
	}{
		{&EC2Error{Code: "InvalidVpcID.NotFound", Message: "The vpc ID 'vpc-1' does not exist"}, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist", 400},
		{&EC2Error{Code: "DryRunOperation", Message: "Request would have succeeded, but DryRun flag is set."}, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412},
		{errors.New("bug"), "InternalError", "An internal error has occurred", 500},
	}
	for _, tc := range cases {
		t.Run(tc.wantCode, func(t *testing.T) {
			fake := &ec2FakeServer{t: t, op: "DescribeVpcs", in: reflect.TypeFor[ec2.DescribeVpcsInput](), reply: tc.err}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			_, err := ec2Client(srv.URL).DescribeVpcs(t.Context(), &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-1"}})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("DescribeVpcs error %v is not an API error", err)
			}
			if apiErr.ErrorCode() != tc.wantCode || apiErr.ErrorMessage() != tc.wantMsg {
				t.Errorf("got %s: %s, want %s: %s", apiErr.ErrorCode(), apiErr.ErrorMessage(), tc.wantCode, tc.wantMsg)
			}
			var httpErr interface{ HTTPStatusCode() int }
			if !errors.As(err, &httpErr) || httpErr.HTTPStatusCode() != tc.wantStatus {
				t.Errorf("HTTP status of %v, want %d", err, tc.wantStatus)
			}
		})
	}
}

// The AWS CLI (botocore's ec2 parser, not the Go SDK's) reads the same
// responses and errors.
func TestEC2ThroughTheAWSCLI(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil || testing.Short() {
		t.Skip("the AWS CLI is not installed (or -short)")
	}
	run := func(t *testing.T, reply any, args ...string) (string, error) {
		t.Helper()
		fake := &ec2FakeServer{t: t, op: "DescribeVpcs", in: reflect.TypeFor[ec2.DescribeVpcsInput](), reply: reply}
		srv := httptest.NewServer(fake)
		defer srv.Close()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.URL, "--region", "us-east-1", "--output", "json", "ec2", "describe-vpcs"}, args...)...)
		home := t.TempDir()
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=a", "AWS_SECRET_ACCESS_KEY=b", "AWS_MAX_ATTEMPTS=1",
			"AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"), "HOME="+home)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Run("output", func(t *testing.T) {
		reply := &ec2.DescribeVpcsOutput{Vpcs: []ec2types.Vpc{sampleVpc("vpc-1", "10.0.0.0/16")}}
		out, err := run(t, reply, "--vpc-ids", "vpc-1", "--filters", "Name=tag:Name,Values=a,b")
		if err != nil {
			t.Fatalf("aws ec2 describe-vpcs: %v\n%s", err, out)
		}
		for _, want := range []string{`"VpcId": "vpc-1"`, `"CidrBlock": "10.0.0.0/16"`, `"IsDefault": false`, `"Key": "Name"`, `"State": "associated"`} {
			if !strings.Contains(out, want) {
				t.Errorf("CLI output lacks %s:\n%s", want, out)
			}
		}
	})
	t.Run("error", func(t *testing.T) {
		out, err := run(t, &EC2Error{Code: "InvalidVpcID.NotFound", Message: "The vpc ID 'vpc-1' does not exist"}, "--vpc-ids", "vpc-1")
		if err == nil {
			t.Fatalf("the CLI succeeded on an error:\n%s", out)
		}
		want := "An error occurred (InvalidVpcID.NotFound) when calling the DescribeVpcs operation: The vpc ID 'vpc-1' does not exist"
		if !strings.Contains(out, want) {
			t.Errorf("CLI output %q lacks %q", out, want)
		}
	})
}

// The committed name table is what the generator writes for the SDK
// version go.mod names: a bumped SDK or an edited operation list needs
// `go generate ./internal/awsproto`.
func TestEC2NamesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator (-short)")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	fresh := filepath.Join(t.TempDir(), "ec2names.go")
	cmd := exec.Command(gotool, "run", "./internal/ec2names", "-o", fresh)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/ec2names: %v\n%s", err, out)
	}
	want, err := os.ReadFile(fresh)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ec2names.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("ec2names.go is stale: run go generate ./internal/awsproto")
	}
}
