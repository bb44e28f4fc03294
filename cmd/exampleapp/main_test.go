package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	got := configFromEnv(func(string) string { return "" })
	want := config{Port: "8080", Version: "v1", WorkerURL: "http://worker.internal.svc:8080"}
	if got != want {
		t.Fatalf("defaults: got %+v, want %+v", got, want)
	}
	env := map[string]string{"PORT": "3000", "APP_VERSION": "v2", "WORKER_URL": "http://w:1"}
	got = configFromEnv(func(k string) string { return env[k] })
	if got != (config{Port: "3000", Version: "v2", WorkerURL: "http://w:1"}) {
		t.Fatalf("from env: got %+v", got)
	}
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode
}

func TestWorkerAnswersItsIdentity(t *testing.T) {
	srv := httptest.NewServer(workerHandler(config{Version: "v7"}))
	defer srv.Close()
	var id identity
	if code := getJSON(t, srv.URL+"/", &id); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if id.Service != "worker" || id.Version != "v7" || id.Hostname == "" || id.IPs == nil {
		t.Fatalf("identity %+v", id)
	}
	if code := checkHealth(srv.URL + "/health"); code != 0 {
		t.Fatalf("healthcheck of a healthy server exited %d", code)
	}
	resp, err := http.Get(srv.URL + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown path: %d", resp.StatusCode)
	}
}

func TestAPIPassesOnTheWorkersAnswer(t *testing.T) {
	worker := httptest.NewServer(workerHandler(config{Version: "v1"}))
	defer worker.Close()
	api := httptest.NewServer(apiHandler(config{Version: "v2", WorkerURL: worker.URL}))
	defer api.Close()

	var got struct {
		identity
		WorkerURL string   `json:"workerUrl"`
		Worker    identity `json:"worker"`
	}
	if code := getJSON(t, api.URL+"/", &got); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got.Service != "api" || got.Version != "v2" || got.WorkerURL != worker.URL {
		t.Fatalf("api identity %+v", got)
	}
	if got.Worker.Service != "worker" || got.Worker.Version != "v1" {
		t.Fatalf("worker answer %+v", got.Worker)
	}
}

func TestAPIAnswers502WithoutAWorker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused

	api := httptest.NewServer(apiHandler(config{Version: "v1", WorkerURL: dead}))
	defer api.Close()
	var got apiAnswer
	if code := getJSON(t, api.URL+"/", &got); code != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", code)
	}
	if got.WorkerError == "" || got.Worker != nil {
		t.Fatalf("answer %+v", got)
	}
	// The api's own health does not depend on the worker.
	if code := checkHealth(api.URL + "/health"); code != 0 {
		t.Fatalf("api healthcheck exited %d", code)
	}
}

func TestAPIRejectsANonJSONWorkerAnswer(t *testing.T) {
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) }))
	defer notJSON.Close()
	api := httptest.NewServer(apiHandler(config{WorkerURL: notJSON.URL}))
	defer api.Close()
	var got apiAnswer
	if code := getJSON(t, api.URL+"/", &got); code != http.StatusBadGateway || got.WorkerError == "" {
		t.Fatalf("status %d, answer %+v", code, got)
	}
}

func TestHealthcheckFails(t *testing.T) {
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	defer sick.Close()
	if code := checkHealth(sick.URL + "/health"); code != 1 {
		t.Fatalf("503: exit %d, want 1", code)
	}
	sick.Close()
	if code := checkHealth(sick.URL + "/health"); code != 1 {
		t.Fatalf("no server: exit %d, want 1", code)
	}
}

func TestRunSubcommands(t *testing.T) {
	tests := []struct {
		cmd  string
		args []string
		want int
	}{
		{"crash", nil, 1},
		{"nonsense", nil, exitUsage},
		{"worker", []string{"extra"}, exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			if got := run(tc.cmd, tc.args); got != tc.want {
				t.Fatalf("run(%q, %q) = %d, want %d", tc.cmd, tc.args, got, tc.want)
			}
		})
	}
}

func TestServeOnShutsDownCleanly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- serveOn(ctx, ln, workerHandler(config{})) }()
	if code := checkHealth("http://" + ln.Addr().String() + "/health"); code != 0 {
		t.Fatalf("healthcheck exited %d", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d after shutdown", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not shut down")
	}
}
