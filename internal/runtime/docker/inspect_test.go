package docker

import (
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/localaws/ecsemu/internal/runtime"
)

func TestHealthFromStatusText(t *testing.T) {
	tests := []struct{ status, want string }{
		{"Up 3 seconds", runtime.HealthNone},
		{"Up 3 seconds (health: starting)", runtime.HealthStarting},
		{"Up 1 minute (healthy)", runtime.HealthHealthy},
		{"Up 1 minute (unhealthy)", runtime.HealthUnhealthy},
		{"Exited (0) 2 seconds ago", runtime.HealthNone},
	}
	for _, tt := range tests {
		if got := healthFromStatusText(tt.status); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.status, got, tt.want)
		}
	}
}

func TestParseEngineTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"0001-01-01T00:00:00Z", time.Time{}},
		{"", time.Time{}},
		{"2026-11-26T03:48:01.123456789Z", time.Date(2026, 11, 26, 3, 48, 1, 123456789, time.UTC)},
	}
	for _, tt := range tests {
		if got := parseEngineTime(tt.in); !got.Equal(tt.want) {
			t.Errorf("parseEngineTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestShortID(t *testing.T) {
	full := "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"
	tests := []struct{ in, want string }{
		{full, "3f2a1b4c5d6e"},
		{"ecs-x-web-1", "ecs-x-web-1"},
		{"3f2a1b4c5d6e", "3f2a1b4c5d6e"},
	}
	for _, tt := range tests {
		if got := shortID(tt.in); got != tt.want {
			t.Errorf("shortID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStateFromInspect(t *testing.T) {
	c := container.InspectResponse{
		ID:    "abc",
		Name:  "/ecs-task-web",
		Image: "sha256:deadbeef",
		State: &container.State{
			Status: container.StateExited, ExitCode: 137, OOMKilled: true,
			StartedAt:  "2026-11-26T03:48:01Z",
			FinishedAt: "2026-11-26T03:48:02Z",
			Health:     &container.Health{Status: container.Unhealthy},
		},
		Config: &container.Config{Image: "web:1", Labels: map[string]string{"k": "v"}},
	}
	s := stateFromInspect(c)
	if s.Name != "ecs-task-web" || s.Image != "web:1" || s.Labels["k"] != "v" || !s.Exited() ||
		s.ExitCode != 137 || !s.OOMKilled || s.Health != runtime.HealthUnhealthy ||
		s.StartedAt.IsZero() || !s.FinishedAt.After(s.StartedAt) {
		t.Fatalf("state = %+v", s)
	}
}
