package secretsmanager_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
)

// post sends a raw awsJson1_1 request, as any SDK writes it.
func post(t *testing.T, e *env, op, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "secretsmanager."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=x")
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
	e := newEnv(t, smapi.Options{})
	status, out := post(t, e, "CreateSecret", `{"Name":"w","SecretBinary":"AAEC"}`)
	if status != 200 || out["Name"] != "w" {
		t.Fatalf("CreateSecret = %d %v", status, out)
	}
	status, out = post(t, e, "GetSecretValue", `{"SecretId":"w"}`)
	if status != 200 || out["SecretBinary"] != "AAEC" || out["SecretString"] != nil {
		t.Errorf("GetSecretValue = %d %v", status, out)
	}
	if _, ok := out["CreatedDate"].(float64); !ok {
		t.Errorf("CreatedDate = %v, want epoch seconds", out["CreatedDate"])
	}
	tests := []struct {
		op, body, code string
	}{
		{"GetSecretValue", `{"SecretId":"nope"}`, "ResourceNotFoundException"},
		{"GetSecretValue", `{}`, "ValidationException"},
		{"GetSecretValue", `{"SecretId":`, "SerializationException"},
		{"CreateSecret", `{}`, "ValidationException"},
		{"DeleteSecret", `{"SecretId":"w","RecoveryWindowInDays":"x"}`, "SerializationException"},
		{"RotateSecret", `{}`, "UnknownOperationException"},
	}
	for _, tc := range tests {
		status, out := post(t, e, tc.op, tc.body)
		if status != 400 || out["__type"] != tc.code {
			t.Errorf("%s %s = %d %v, want 400 %s", tc.op, tc.body, status, out, tc.code)
		}
	}
}
