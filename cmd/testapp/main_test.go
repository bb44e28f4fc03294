package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	c, err := loadConfig(envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || c.HealthStatus != 200 || c.HasExitAfter || c.HasCrashAfter || c.HasUnhealthyAfter || c.IgnoreSIGTERM {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = loadConfig(envMap(map[string]string{
		"PORT": "9000", "NAME": "web", "STARTUP_DELAY": "1500ms", "HEALTH_STATUS": "503",
		"UNHEALTHY_AFTER": "3", "EXIT_AFTER": "0s", "EXIT_CODE": "7", "CRASH_AFTER": "1m",
		"ALLOCATE_MB": "64", "ALLOCATE_AFTER": "2s", "IGNORE_SIGTERM": "1", "ECHO_ENV": "FOO, AWS_*",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		Port: 9000, Name: "web", StartupDelay: 1500 * time.Millisecond, HealthStatus: 503,
		UnhealthyAfter: 3 * time.Second, HasUnhealthyAfter: true, ExitAfter: 0, HasExitAfter: true, ExitCode: 7,
		CrashAfter: time.Minute, HasCrashAfter: true, AllocateMB: 64, AllocateAfter: 2 * time.Second,
		IgnoreSIGTERM: true, ShutdownTimeout: 30 * time.Second,
	}
	if !reflect.DeepEqual(c.EchoEnv, []string{"FOO", "AWS_*"}) {
		t.Fatalf("EchoEnv = %q", c.EchoEnv)
	}
	got := c
	got.EchoEnv = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for name, want := range map[string]bool{"NAME": true, "ECS_X": true, "FOO": true, "FOOBAR": false, "AWS_REGION": true, "HOME": false} {
		if c.echoedEnv(name) != want {
			t.Errorf("echoedEnv(%q) = %v", name, !want)
		}
	}
	for _, bad := range []map[string]string{
		{"PORT": "x"}, {"PORT": "70000"}, {"EXIT_AFTER": "soon"}, {"EXIT_CODE": "300"},
		{"IGNORE_SIGTERM": "maybe"}, {"STARTUP_DELAY": "-1s"}, {"HEALTH_STATUS": "101"},
	} {
		if _, err := loadConfig(envMap(bad)); err == nil {
			t.Errorf("loadConfig(%v): no error", bad)
		}
	}
}

func newTestServer(t *testing.T, env map[string]string) (*app, *httptest.Server, chan int) {
	t.Helper()
	cfg, err := loadConfig(envMap(env))
	if err != nil {
		t.Fatal(err)
	}
	exits := make(chan int, 4)
	a := newApp(cfg, log.New(io.Discard, "", 0), func(code int) { exits <- code })
	a.environ = func() []string {
		return []string{"ECS_CONTAINER_METADATA_URI_V4=http://x", "NAME=web", "HOME=/root"}
	}
	srv := httptest.NewServer(a.handler())
	t.Cleanup(srv.Close)
	return a, srv, exits
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

func TestEndpoints(t *testing.T) {
	_, srv, exits := newTestServer(t, map[string]string{"NAME": "web", "PORT": "8081"})

	code, body := get(t, srv.URL+"/")
	var root rootResponse
	if err := json.Unmarshal([]byte(body), &root); err != nil || code != 200 {
		t.Fatalf("GET /: %d %s (%v)", code, body, err)
	}
	if root.Name != "web" || root.Port != 8081 || root.IPs == nil || len(root.Env) != 2 ||
		root.Env["ECS_CONTAINER_METADATA_URI_V4"] != "http://x" || root.Env["NAME"] != "web" {
		t.Fatalf("GET /: %+v", root)
	}
	if code, _ := get(t, srv.URL+"/nope"); code != 404 {
		t.Fatalf("GET /nope: %d", code)
	}

	if code, body := get(t, srv.URL+"/health"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("GET /health: %d %q", code, body)
	}
	resp, err := http.Post(srv.URL+"/health/set?code=503", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /health/set: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, body := get(t, srv.URL+"/health"); code != 503 || strings.TrimSpace(body) != "unhealthy" {
		t.Fatalf("GET /health after set: %d %q", code, body)
	}
	if code, _ := get(t, srv.URL+"/health/set?code=abc"); code != 400 {
		t.Fatalf("bad /health/set: %d", code)
	}
	if code, _ := get(t, srv.URL+"/health/set?code=200"); code != 200 {
		t.Fatalf("GET /health/set: %d", code)
	}

	start := time.Now()
	if code, _ := get(t, srv.URL+"/sleep?d=200ms"); code != 200 || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("GET /sleep: %d after %s", code, time.Since(start))
	}

	req, _ := http.NewRequest("PUT", srv.URL+"/echo?a=1", nil)
	req.Header.Set("X-Forwarded-For", "1.2.3.4")
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var echo echoResponse
	err = json.NewDecoder(resp.Body).Decode(&echo)
	resp.Body.Close()
	if err != nil || echo.Method != "PUT" || echo.Path != "/echo" || echo.Query != "a=1" ||
		echo.Headers["X-Forwarded-For"] != "1.2.3.4" || echo.Headers["X-Multi"] != "a, b" {
		t.Fatalf("/echo: %+v (%v)", echo, err)
	}

	if code, _ := get(t, srv.URL+"/exit?code=3"); code != 200 {
		t.Fatalf("GET /exit: %d", code)
	}
	select {
	case c := <-exits:
		if c != 3 {
			t.Fatalf("exit code %d, want 3", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("/exit did not exit")
	}
}

func TestTimers(t *testing.T) {
	a, srv, exits := newTestServer(t, map[string]string{"UNHEALTHY_AFTER": "50ms", "EXIT_AFTER": "100ms", "EXIT_CODE": "4"})
	a.startTimers()
	select {
	case c := <-exits:
		if c != 4 {
			t.Fatalf("exit code %d, want 4", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("EXIT_AFTER did not exit")
	}
	if code, _ := get(t, srv.URL+"/health"); code != 500 {
		t.Fatalf("health after UNHEALTHY_AFTER: %d", code)
	}
}

func TestExitCommand(t *testing.T) {
	if got := cmdExit([]string{"7"}); got != 7 {
		t.Fatalf("cmdExit = %d", got)
	}
	if got := cmdSleep([]string{"10ms"}); got != 0 {
		t.Fatalf("cmdSleep = %d", got)
	}
}
