package taskmeta

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

const (
	testTaskID  = "0123456789abcdef0123456789abcdef"
	testTaskARN = "arn:aws:ecs:us-east-1:000000000000:task/dev/" + testTaskID
)

// fakeSource knows one task with two containers, "web" (created) and
// "side-car" (not created yet).
type fakeSource struct{ role string }

func (f fakeSource) Task(_ context.Context, id string) (Task, bool) {
	if id != testTaskID {
		return Task{}, false
	}
	return Task{
		Cluster: "arn:aws:ecs:us-east-1:000000000000:cluster/dev", TaskARN: testTaskARN, Family: "web", Revision: "3",
		KnownStatus: "RUNNING", LaunchType: "FARGATE", ServiceName: "web", RoleARN: f.role,
		Containers: []Container{
			{Name: "web", DockerID: "d0c", ContainerARN: "arn:c", Networks: []Network{{NetworkMode: "awsvpc", IPv4Addresses: []string{"172.18.0.5"}, MACAddress: "02:42"}}},
			{Name: "side-car"},
		},
	}, true
}

func (fakeSource) Stats(_ context.Context, id string) (json.RawMessage, error) {
	if id != "d0c" {
		return nil, errors.New("no such container")
	}
	return json.RawMessage(`{"cpu_stats":{}}`), nil
}

func (f fakeSource) Credentials(_ context.Context, t Task) (Credentials, error) {
	return Credentials{RoleArn: t.RoleARN, AccessKeyID: "ASIATEST", SecretAccessKey: "s", Token: "tok", Expiration: time.Now().Add(time.Hour).UTC()}, nil
}

func start(t *testing.T, role string) *Server {
	t.Helper()
	s := New(Options{Source: fakeSource{role: role}})
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s
}

func vars(vs []Variable) map[string]string {
	m := map[string]string{}
	for _, v := range vs {
		m[v.Name] = v.Value
	}
	return m
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetadataPaths(t *testing.T) {
	s := start(t, "")
	v4 := vars(s.Variables(testTaskARN, "web", false))["ECS_CONTAINER_METADATA_URI_V4"]
	v3 := vars(s.Variables(testTaskARN, "web", false))["ECS_CONTAINER_METADATA_URI"]
	base := "http://" + s.Addr()
	tests := []struct {
		name, url string
		status    int
		contains  []string
		absent    []string
	}{
		{"container", v4, 200, []string{`"DockerId":"d0c"`, `"Name":"web"`, `"ContainerARN":"arn:c"`, `"MACAddress":"02:42"`}, nil},
		{"task", v4 + "/task", 200, []string{`"TaskARN":"` + testTaskARN + `"`, `"LaunchType":"FARGATE"`, `"ServiceName":"web"`, `"Name":"side-car"`}, []string{"RoleARN"}},
		{"stats", v4 + "/stats", 200, []string{`"cpu_stats"`}, nil},
		{"task stats", v4 + "/task/stats", 200, []string{`"d0c":{"cpu_stats"`}, []string{"side-car"}},
		{"v3 task", v3 + "/task", 200, []string{`"TaskARN"`, `"IPv4Addresses":["172.18.0.5"]`}, []string{"LaunchType", "MACAddress", "ContainerARN"}},
		{"container with a hyphen", base + "/v4/" + testTaskID + "-side-car", 200, []string{`"Name":"side-car"`}, nil},
		{"stats of a container not created", base + "/v4/" + testTaskID + "-side-car/stats", 404, []string{"has not been created"}, nil},
		{"unknown task", base + "/v4/ffffffffffffffffffffffffffffffff-web/task", 404, []string{"unable to find task"}, nil},
		{"unknown container", base + "/v4/" + testTaskID + "-db", 404, []string{"unable to find container db"}, nil},
		{"malformed token", base + "/v4/nothing", 400, []string{"invalid metadata path"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, tt.url)
			if status != tt.status {
				t.Fatalf("GET %s: %d %s, want %d", tt.url, status, body, tt.status)
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("GET %s: %s lacks %s", tt.url, body, c)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("GET %s: %s has %s", tt.url, body, a)
				}
			}
		})
	}
}

// Away from 169.254.170.2:80 credentials are served at a full URI with a
// token, and the SDK's own endpoint provider reads them.
func TestCredentialsFullURIWithToken(t *testing.T) {
	s := start(t, "arn:aws:iam::000000000000:role/app")
	v := vars(s.Variables(testTaskARN, "web", true))
	full, token := v["AWS_CONTAINER_CREDENTIALS_FULL_URI"], v["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
	if full == "" || token == "" || v["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] != "" {
		t.Fatalf("variables %v", v)
	}
	creds, err := endpointcreds.New(full, func(o *endpointcreds.Options) { o.AuthorizationToken = token }).Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "ASIATEST" || creds.SessionToken != "tok" || !creds.CanExpire {
		t.Fatalf("the SDK's provider got %+v, %v", creds, err)
	}
	if _, err := endpointcreds.New(full, func(o *endpointcreds.Options) { o.AuthorizationToken = "wrong" }).Retrieve(context.Background()); err == nil {
		t.Error("a wrong token got credentials")
	}
	if _, err := endpointcreds.New(full).Retrieve(context.Background()); err == nil {
		t.Error("no token got credentials at a full URI")
	}
	forged := strings.Replace(full, testTaskID+"-", testTaskID+"-0", 1)
	if status, body := get(t, forged); status != 400 || !strings.Contains(body, "InvalidIdInRequest") {
		t.Errorf("a guessed credentials ID: %d %s", status, body)
	}
}

func TestNoRoleNoCredentials(t *testing.T) {
	s := start(t, "")
	v := vars(s.Variables(testTaskARN, "web", false))
	if len(v) != 2 || v["ECS_CONTAINER_METADATA_URI_V4"] == "" {
		t.Fatalf("variables of a task without a role: %v", v)
	}
	// Even with the right ID, a task without a role gets nothing.
	url := "http://" + s.Addr() + "/v2/credentials/" + s.credentialsID(testTaskARN)
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", s.authToken(testTaskARN))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("credentials of a task without a role: %d", resp.StatusCode)
	}
}

func TestStartTriesAddressesInOrder(t *testing.T) {
	first := start(t, "")
	s := New(Options{Source: fakeSource{}})
	if err := s.Start(first.Addr(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	if s.Addr() == first.Addr() || s.Addr() == "" {
		t.Errorf("second server on %q (first on %q)", s.Addr(), first.Addr())
	}
	if err := New(Options{Source: fakeSource{}}).Start(first.Addr()); err == nil {
		t.Error("Start on a taken address succeeded")
	}
}
