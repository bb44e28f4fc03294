package ssm_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

// post sends a raw awsJson1_1 request, as the CDK CLI's SDK writes it.
func post(t *testing.T, e *env, op, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AmazonSSM."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", op, raw, err)
	}
	return resp.StatusCode, out
}

func TestWire(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{Bootstrap: true})
	status, out := post(t, e, "GetParameter", `{"Name":"/cdk-bootstrap/hnb659fds/version","WithDecryption":true}`)
	p, _ := out["Parameter"].(map[string]any)
	if status != 200 || p["Name"] != "/cdk-bootstrap/hnb659fds/version" || p["Type"] != "String" || p["Value"] != "30" || p["Version"] != float64(1) {
		t.Errorf("GetParameter = %d %v", status, out)
	}
	if _, ok := p["LastModifiedDate"].(float64); !ok {
		t.Errorf("LastModifiedDate = %v, want epoch seconds", p["LastModifiedDate"])
	}
	tests := []struct {
		op, body, code string
	}{
		{"GetParameter", `{"Name":"/nope"}`, "ParameterNotFound"},
		{"GetParameter", `{"Name":`, "SerializationException"},
		{"PutParameter", `{"Name":"/x","Value":"v","Type":"String","Overwrite":"yes"}`, "SerializationException"},
		{"GetParameter", `{}`, "ValidationException"},
		{"SendCommand", `{}`, "UnknownOperationException"},
	}
	for _, tc := range tests {
		status, out := post(t, e, tc.op, tc.body)
		if status != 400 || out["__type"] != tc.code {
			t.Errorf("%s %s = %d %v, want 400 %s", tc.op, tc.body, status, out, tc.code)
		}
	}
}
