package config

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		listen string
		ttl    time.Duration
		level  slog.Level
	}{
		{"defaults", nil, nil, "127.0.0.1:4566", time.Hour, slog.LevelInfo},
		{"env", nil, map[string]string{"EMULATOR_LISTEN": "127.0.0.2:5000", "EMULATOR_STOPPED_TASK_TTL": "5m", "EMULATOR_LOG_LEVEL": "debug"}, "127.0.0.2:5000", 5 * time.Minute, slog.LevelDebug},
		{"flag wins", []string{"--listen", "127.0.0.3:1", "--stopped-task-ttl=2s"}, map[string]string{"EMULATOR_LISTEN": "127.0.0.2:5000"}, "127.0.0.3:1", 2 * time.Second, slog.LevelInfo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.Listen != tt.listen || c.StoppedTaskTTL != tt.ttl || c.LogLevel != tt.level {
				t.Fatalf("got %+v", c)
			}
		})
	}
}

func TestRuntime(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil || c.Runtime != RuntimeDocker {
		t.Fatalf("default runtime %q, %v; want docker", c.Runtime, err)
	}
	c, err = Load(nil, env(map[string]string{"EMULATOR_RUNTIME": "simulated"}), io.Discard)
	if err != nil || c.Runtime != RuntimeSimulated {
		t.Fatalf("EMULATOR_RUNTIME=simulated gave %q, %v", c.Runtime, err)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--account-id", "123"},
		{"--keep-containers", "maybe"},
		{"--pull-timeout", "soon"},
		{"--log-format", "xml"},
		{"--log-level", "loud"},
		{"--runtime", "podman"},
		{"--runtime", "simulated", "--disable-docker"},
		{"stray"},
	} {
		if _, err := Load(args, env(nil), io.Discard); err == nil {
			t.Errorf("%v: expected an error", args)
		}
	}
}

// The README's configuration table is exactly what Markdown renders, so
// it cannot drift from the flags.
func TestREADMEConfigTableIsCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if !strings.Contains(string(readme), Markdown()) {
		t.Fatalf("README.md's configuration table is out of date; replace it with:\n%s", Markdown())
	}
}

// A switch may be given alone, as a Go or GNU flag would be, and still
// takes an explicit value.
func TestSwitchesWithoutValue(t *testing.T) {
	c, err := Load([]string{"--disable-docker", "--keep-containers", "--listen", "127.0.0.1:1"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.DisableDocker || !c.KeepContainers || c.Listen != "127.0.0.1:1" {
		t.Fatalf("got DisableDocker %v, KeepContainers %v, Listen %q", c.DisableDocker, c.KeepContainers, c.Listen)
	}
	c, err = Load([]string{"--dns-for-tasks=false", "--disable-docker=false"}, env(map[string]string{"EMULATOR_DISABLE_DOCKER": "true"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.DNSForTasks || c.DisableDocker {
		t.Fatalf("explicit false ignored: DNSForTasks %v, DisableDocker %v", c.DNSForTasks, c.DisableDocker)
	}
	// The two-word form still works.
	c, err = Load([]string{"--disable-docker", "true", "--keep-containers", "false", "--listen", "127.0.0.1:2"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.DisableDocker || c.KeepContainers || c.Listen != "127.0.0.1:2" {
		t.Fatalf("two-word switches: DisableDocker %v, KeepContainers %v, Listen %q", c.DisableDocker, c.KeepContainers, c.Listen)
	}
	if _, err := Load([]string{"--listen"}, env(nil), io.Discard); err == nil {
		t.Fatal("--listen without a value: expected an error")
	}
}
