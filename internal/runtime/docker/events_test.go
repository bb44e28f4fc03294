package docker

import (
	"testing"

	"github.com/moby/moby/api/types/events"

	"github.com/localaws/ecsemu/internal/runtime"
)

func TestToEvent(t *testing.T) {
	attrs := map[string]string{
		"image": "web:1", "name": "ecs-web", "exitCode": "3",
		runtime.LabelManaged: "true", runtime.LabelTaskARN: "arn:task",
	}
	tests := []struct {
		typ    events.Type
		action string
		keep   bool
	}{
		{events.ContainerEventType, "start", true},
		{events.ContainerEventType, "die", true},
		{events.ContainerEventType, "oom", true},
		{events.ContainerEventType, "health_status: healthy", true},
		{events.ContainerEventType, "exec_start: /app healthcheck", false},
		{events.ContainerEventType, "exec_die", false},
		{events.NetworkEventType, "connect", false},
	}
	for _, tt := range tests {
		ev, ok := toEvent(events.Message{Type: tt.typ, Action: events.Action(tt.action), Actor: events.Actor{ID: "c1", Attributes: attrs}})
		if ok != tt.keep {
			t.Errorf("%s %q: kept = %v, want %v", tt.typ, tt.action, ok, tt.keep)
			continue
		}
		if !ok {
			continue
		}
		if ev.ContainerID != "c1" || ev.Action != tt.action || len(ev.Labels) != 2 ||
			ev.Labels[runtime.LabelTaskARN] != "arn:task" || ev.Labels[runtime.LabelManaged] != "true" {
			t.Errorf("%q: event = %+v", tt.action, ev)
		}
	}
	if attrs["image"] != "web:1" {
		t.Fatal("toEvent must not modify the message's attributes")
	}
}
