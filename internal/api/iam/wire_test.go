package iam_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestWireStatuses checks IAM's modeled HTTP statuses and XML as the AWS
// CLI receives them.
func TestWireStatuses(t *testing.T) {
	e := newEnv(t)
	post := func(form string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+"/", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250601/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	create := "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=" + strings.ReplaceAll(trust, `"`, "%22")
	tests := []struct {
		form   string
		status int
		part   string
	}{
		{create, 200, `<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateRoleResult><Role>`},
		{create, 409, "<Code>EntityAlreadyExists</Code>"},
		{"Action=GetRole&Version=2010-05-08&RoleName=none", 404, "<Code>NoSuchEntity</Code>"},
		{"Action=GetRole&Version=2010-05-08&RoleName=a%20b", 400, "<Code>ValidationError</Code>"},
		{"Action=Frobnicate&Version=2010-05-08", 400, "<Code>InvalidAction</Code>"},
	}
	for _, tc := range tests {
		status, body := post(tc.form)
		if status != tc.status || !strings.Contains(body, tc.part) {
			t.Errorf("%s: %d %s", tc.form, status, body)
		}
	}
}
