package servicediscovery_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

// TestWireErrors sends raw requests, the way a hand-written client would,
// and checks the awsJson1_1 error shape: malformed bodies are 400
// SerializationException, never a panic or a 500.
func TestWireErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const prefix = "Route53AutoNaming_v20170314."
	tests := []struct {
		name, op, body string
		wantType       string
		wantStatus     int
	}{
		{"unknown operation", "Frobnicate", `{}`, "UnknownOperationException", 400},
		{"truncated JSON", "CreateHttpNamespace", `{"Name":`, "SerializationException", 400},
		{"member of the wrong type", "CreateHttpNamespace", `{"Name":42}`, "SerializationException", 400},
		{"body not an object", "ListNamespaces", `[1,2]`, "SerializationException", 400},
		{"string where a map goes", "RegisterInstance", `{"ServiceId":"srv-1","InstanceId":"i","Attributes":"x"}`, "SerializationException", 400},
		{"map of numbers", "RegisterInstance", `{"ServiceId":"srv-1","InstanceId":"i","Attributes":{"a":1}}`, "SerializationException", 400},
		{"list where a struct goes", "CreateService", `{"Name":"x","DnsConfig":[]}`, "SerializationException", 400},
		{"number too big", "ListOperations", `{"MaxResults":99999999999}`, "SerializationException", 400},
		{"deep nesting", "ListNamespaces", strings.Repeat("[", 10000), "SerializationException", 400},
		{"trailing garbage", "GetNamespace", `{"Id":"ns-1"} x`, "SerializationException", 400},
		{"numbers where strings go", "ListOperations", `{"Filters":[{"Name":"UPDATE_DATE","Values":[1,2]}]}`, "SerializationException", 400},
		{"empty body is an empty input", "GetNamespace", ``, "InvalidInput", 400},
		{"null members are absent", "GetNamespace", `{"Id":null}`, "InvalidInput", 400},
		{"not found is 404", "GetNamespace", `{"Id":"ns-nope"}`, "NamespaceNotFound", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", prefix+tc.op)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, raw)
			}
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"Message"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("error body %q is not JSON: %v", raw, err)
			}
			if body.Type != tc.wantType || body.Message == "" {
				t.Errorf("body = %s, want __type %s with a Message", raw, tc.wantType)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tc.wantType {
				t.Errorf("X-Amzn-ErrorType = %q", got)
			}
		})
	}
}

// TestDataHostPrefix lets the SDK prepend "data-" to the endpoint host of
// DiscoverInstances and DiscoverInstancesRevision, as it does for real,
// with a dialer that maps data-127.0.0.1 back to 127.0.0.1 (spec §1.5
// (b)): the handler must answer whatever the Host says.
func TestDataHostPrefix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})
	e.register(t, *svc.Id, "i-1", map[string]string{"k": "v"})

	dialer := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, strings.TrimPrefix(addr, "data-"))
	}}
	t.Cleanup(transport.CloseIdleConnections)
	cfg := testConfig(region)
	cfg.HTTPClient = &http.Client{Transport: transport}
	c := sd.NewFromConfig(cfg, func(o *sd.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})

	out := must(c.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}))(t)
	if len(out.Instances) != 1 || aws.ToString(out.Instances[0].InstanceId) != "i-1" {
		t.Errorf("instances = %+v", out.Instances)
	}
	rev := must(c.DiscoverInstancesRevision(ctx, &sd.DiscoverInstancesRevisionInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}))(t)
	if aws.ToInt64(rev.InstancesRevision) != 1 {
		t.Errorf("revision = %d", aws.ToInt64(rev.InstancesRevision))
	}
	want := "data-" + strings.TrimPrefix(e.URL, "http://")
	n := 0
	for _, h := range e.seenHosts() {
		if h == want {
			n++
		}
	}
	if n != 2 {
		t.Errorf("requests with Host %s: %d, want 2 (hosts seen: %v)", want, n, e.seenHosts())
	}
	// Other operations carry no prefix.
	must(c.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t)
	if hosts := e.seenHosts(); hosts[len(hosts)-1] != strings.TrimPrefix(e.URL, "http://") {
		t.Errorf("GetService Host = %s", hosts[len(hosts)-1])
	}
}

// TestRegionsAreSeparate: each region has its own namespaces, and ARNs of
// one region name nothing in another.
func TestRegionsAreSeparate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	west := e.client("eu-west-1")
	east := e.httpNamespace(t, "api")
	op := must(west.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("api")}))(t) // same name, other region
	westNS := must(west.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(must(west.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.OperationId}))(t).Operation.Targets["NAMESPACE"])}))(t).Namespace
	if !strings.HasPrefix(aws.ToString(westNS.Arn), "arn:aws:servicediscovery:eu-west-1:000000000000:namespace/ns-") {
		t.Errorf("eu-west-1 ARN = %s", aws.ToString(westNS.Arn))
	}
	if list := must(west.ListNamespaces(ctx, &sd.ListNamespacesInput{}))(t); len(list.Namespaces) != 1 {
		t.Errorf("eu-west-1 namespaces = %d", len(list.Namespaces))
	}
	_, err := west.GetNamespace(ctx, &sd.GetNamespaceInput{Id: east.Arn})
	wantCode(t, err, "NamespaceNotFound", s404)
	_, err = west.GetNamespace(ctx, &sd.GetNamespaceInput{Id: east.Id})
	wantCode(t, err, "NamespaceNotFound", s404)
	_, err = west.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: east.Arn})
	wantCode(t, err, "NamespaceNotFound", s404)
	if _, err := e.C.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}); err == nil {
		t.Error("DiscoverInstances found a service of another region")
	}
}
