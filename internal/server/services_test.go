package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/server"
)

// echoQuery answers every action with the access key and region it saw.
type echoQuery struct{}

type echoOutput struct {
	AccessKey *string
	Region    *string
	Action    *string
}

func (echoQuery) Handle(ctx context.Context, action string, _ url.Values) (any, error) {
	key, region := reqctx.AccessKey(ctx), reqctx.Region(ctx)
	return &echoOutput{AccessKey: &key, Region: &region, Action: &action}, nil
}

func newTestServer(t *testing.T, rest http.Handler) *httptest.Server {
	t.Helper()
	srv := server.New(server.Options{
		Services: []server.Service{
			{Spec: awsproto.ServiceSpec{Name: "sts", SigningName: "sts", Protocol: awsproto.ProtocolQuery, APIVersion: "2011-06-15", XMLNamespace: "https://sts.amazonaws.com/doc/2011-06-15/"}, Query: echoQuery{}},
			{Spec: awsproto.ServiceSpec{Name: "s3", SigningName: "s3", Protocol: awsproto.ProtocolREST}, REST: rest},
		},
		Region: "us-east-1", AccountID: "000000000000", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func post(t *testing.T, url, auth, target, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if target != "" {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
	}
	if auth != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+auth+"/aws4_request, SignedHeaders=host, Signature=x")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestQueryServiceFromTable(t *testing.T) {
	ts := newTestServer(t, http.NotFoundHandler())
	status, body := post(t, ts.URL, "ASIAKEY/20250101/eu-west-2/sts", "", "Action=GetCallerIdentity&Version=2011-06-15")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	for _, want := range []string{`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`, "<AccessKey>ASIAKEY</AccessKey>", "<Region>eu-west-2</Region>"} {
		if !strings.Contains(body, want) {
			t.Errorf("response lacks %s:\n%s", want, body)
		}
	}
}

func TestNotServedNamesTheService(t *testing.T) {
	ts := newTestServer(t, http.NotFoundHandler())
	tests := []struct{ name, auth, target, body, want string }{
		{"query service by signing name", "AKID/20250101/us-east-1/sns", "", "Action=ListTopics&Version=2010-03-31", "sns is not served"},
		{"json service by target prefix", "", "DynamoDB_20120810.ListTables", "{}", "DynamoDB_20120810 is not served"},
		{"json service by signing name", "AKID/20250101/us-east-1/dynamodb", "DynamoDB_20120810.ListTables", "{}", "dynamodb is not served"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, ts.URL, tc.auth, tc.target, tc.body)
			if status != 400 || !strings.Contains(body, tc.want) || !strings.Contains(body, "InvalidAction") {
				t.Errorf("status %d, body %s; want 400 InvalidAction naming %q", status, body, tc.want)
			}
		})
	}
}

func TestRESTServiceGetsTheRawRequest(t *testing.T) {
	var gotBody, gotKey, gotRegion string
	ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotKey, gotRegion = string(b), reqctx.AccessKey(r.Context()), reqctx.Region(r.Context())
		w.WriteHeader(http.StatusCreated)
	}))
	req, _ := http.NewRequest(http.MethodPut, ts.URL+"/bucket/key", strings.NewReader("object body"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDS3/20250101/ap-south-1/s3/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || gotBody != "object body" || gotKey != "AKIDS3" || gotRegion != "ap-south-1" {
		t.Errorf("status %d, body %q, key %q, region %q", resp.StatusCode, gotBody, gotKey, gotRegion)
	}
}
