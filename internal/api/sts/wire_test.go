package sts_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	stsapi "github.com/localaws/ecsemu/internal/api/sts"
)

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestWire checks the documents as the AWS CLI receives them.
func TestWire(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	post := func(form string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+"/", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250601/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post("Action=GetCallerIdentity&Version=2011-06-15")
	if status != 200 || !strings.Contains(body, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`) ||
		!strings.Contains(body, "<Arn>arn:aws:iam::000000000000:root</Arn>") {
		t.Fatalf("%d %s", status, body)
	}
	status, body = post("Action=Frobnicate&Version=2011-06-15")
	if status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Fatalf("%d %s", status, body)
	}
}
