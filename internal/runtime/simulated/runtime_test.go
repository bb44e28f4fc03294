package simulated

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

func TestLifecycle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := New(Options{})
	events, _ := r.Events(ctx)
	labels := map[string]string{runtime.LabelTaskARN: "arn:task"}
	sb, err := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: "sb", Labels: labels})
	if err != nil || !r.Owns(sb.IP) {
		t.Fatalf("sandbox %+v, %v: want an address in %s", sb, err, r.Subnet())
	}
	if again, _ := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: "sb"}); again != sb {
		t.Fatalf("a second create of the same sandbox gave %+v, want %+v", again, sb)
	}
	id, err := r.CreateContainer(ctx, runtime.ContainerSpec{Name: "app", Image: "no/such:image", Labels: labels, HealthCheck: &runtime.HealthCheck{Test: []string{"CMD", "true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.EnsureImage(ctx, "no/such:image"); err != nil {
		t.Fatalf("EnsureImage of a missing image: %v, want nil (nothing is pulled)", err)
	}
	if st, _ := r.InspectContainer(ctx, id); st.Status != "created" || st.Running {
		t.Fatalf("after create: %+v", st)
	}
	if err := r.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.InspectContainer(ctx, id); !st.Running || st.Health != runtime.HealthHealthy {
		t.Fatalf("after start: %+v, want running and healthy", st)
	}
	logs, err := r.FollowLogs(ctx, id, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.StopContainer(ctx, id, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := logs.Next(); err != io.EOF {
		t.Fatalf("logs after stop: %v, want io.EOF", err)
	}
	st, _ := r.InspectContainer(ctx, id)
	if !st.Exited() || st.ExitCode != 0 || st.FinishedAt.IsZero() {
		t.Fatalf("after stop: %+v, want exited with code 0", st)
	}
	if err := r.RemoveContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := r.InspectContainer(ctx, id); !errors.Is(err, runtime.ErrNotFound) {
		t.Fatalf("inspect after remove: %v, want ErrNotFound", err)
	}
	var actions []string
	for len(actions) < 5 {
		select {
		case ev := <-events:
			if ev.Labels[runtime.LabelTaskARN] != "arn:task" {
				t.Fatalf("event %+v without the task's labels", ev)
			}
			actions = append(actions, ev.Action)
		case <-time.After(5 * time.Second):
			t.Fatalf("events so far %v, want 5", actions)
		}
	}
	want := []string{"start", "start", "health_status", "die", "destroy"}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("events %v, want %v", actions, want)
		}
	}
}

func TestAddressesAreUniqueAndReused(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Subnet: netip.MustParsePrefix("10.9.0.0/29")}) // 8 addresses: 5 for tasks
	seen := map[string]string{}
	for i := range 5 {
		sb, err := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: string(rune('a' + i))})
		if err != nil {
			t.Fatal(err)
		}
		if seen[sb.IP] != "" || sb.IP == "10.9.0.0" || sb.IP == "10.9.0.1" || sb.IP == "10.9.0.7" {
			t.Fatalf("address %s handed out twice or reserved", sb.IP)
		}
		seen[sb.IP] = sb.ID
	}
	if _, err := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: "full"}); err == nil {
		t.Fatal("a sixth sandbox got an address in a full subnet")
	}
	for ip, id := range seen {
		_ = r.RemoveContainer(ctx, id)
		sb, err := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: "again"})
		if err != nil || sb.IP != ip {
			t.Fatalf("after freeing %s: %+v, %v", ip, sb, err)
		}
		break
	}
}
