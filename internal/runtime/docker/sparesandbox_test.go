package docker

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// With spares, the next task gets a sandbox started ahead of need, under
// its own name; a spare removed behind the runtime's back is never handed
// out; RemoveSpares leaves no spare behind and makes no more.
func TestSpareSandboxes(t *testing.T) {
	e := newTestEnv(t)
	e.r.opts.SandboxSpares = 1
	t.Cleanup(func() { e.removeScope() })
	spec := func(suffix string) runtime.SandboxSpec {
		l := e.labels(runtime.RoleSandbox)
		l[runtime.LabelScope] = e.run
		return runtime.SandboxSpec{Name: e.name(suffix), Labels: l}
	}

	first, err := e.r.CreateSandbox(e.ctx, spec("first"))
	if err != nil {
		t.Fatal(err)
	}
	e.start(e.appSpec(first, "first-app", nil)) // its start lets the refill begin
	spare := e.waitSpare()

	events, _ := e.r.Events(e.ctx)
	taken, err := e.r.CreateSandbox(e.ctx, spec("taken"))
	if err != nil {
		t.Fatal(err)
	}
	if taken.ID != spare {
		t.Fatalf("sandbox %s, want the spare %s", shortID(taken.ID), shortID(spare))
	}
	st, err := e.r.InspectContainer(e.ctx, taken.ID)
	if err != nil || st.Name != e.name("taken") || !st.Running || st.Labels[LabelPooled] != "true" {
		t.Fatalf("taken spare = %+v (%v), want running as %s", st, err, e.name("taken"))
	}
	e.start(e.appSpec(taken, "taken-app", nil))
	e.httpGet("http://" + taken.IP + ":8080/health")

	// Its events carry the labels its task asked for.
	if err := e.r.RemoveContainer(e.ctx, taken.ID); err != nil {
		t.Fatal(err)
	}
	e.waitEvent(events, taken.ID, labelTestRun, e.run)

	// A spare that vanished is not handed out.
	gone := e.waitSpare()
	if err := e.r.RemoveContainer(e.ctx, gone); err != nil {
		t.Fatal(err)
	}
	fresh, err := e.r.CreateSandbox(e.ctx, spec("fresh"))
	if err != nil || fresh.ID == gone {
		t.Fatalf("CreateSandbox after the spare vanished: %s (%v)", shortID(fresh.ID), err)
	}

	e.start(e.appSpec(fresh, "fresh-app", nil))
	e.waitSpare()
	if err := e.r.RemoveSpares(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.CreateSandbox(e.ctx, spec("after")); err != nil {
		t.Fatal(err)
	}
	e.start(e.appSpec(fresh, "after-app", nil))
	time.Sleep(time.Second) // time enough for a refill that should not happen
	if left := e.spares(); len(left) != 0 {
		t.Fatalf("spares after RemoveSpares: %d", len(left))
	}
}

// spares lists the untaken spares of the test's scope.
func (e *testEnv) spares() []string {
	e.t.Helper()
	res, err := e.r.cli.ContainerList(e.ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).
		Add("label", runtime.LabelScope+"="+e.run).Add("label", LabelPooled+"=true").Add("name", e.r.opts.Network+"-spare-")})
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, c := range res.Items {
		ids = append(ids, c.ID)
	}
	return ids
}

// waitSpare waits for one running spare and returns its ID.
func (e *testEnv) waitSpare() string {
	e.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		e.r.spares.mu.Lock()
		n := len(e.r.spares.spares)
		e.r.spares.mu.Unlock()
		if ids := e.spares(); len(ids) == 1 && n == 1 {
			return ids[0]
		}
	}
	e.t.Fatalf("no spare sandbox within 30 s")
	return ""
}

// waitEvent waits for an event of container id carrying label k=v.
func (e *testEnv) waitEvent(events <-chan runtime.Event, id, k, v string) {
	e.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.ContainerID == id && ev.Labels[k] == v {
				return
			}
		case <-timeout:
			e.t.Fatalf("no event of %s with %s=%s", shortID(id), k, v)
		}
	}
}

// removeScope removes every container of the test's scope (spares lack
// the test-run label the env's cleanup goes by).
func (e *testEnv) removeScope() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = e.r.RemoveSpares(ctx)
	res, err := e.r.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", runtime.LabelScope+"="+e.run)})
	if err != nil {
		e.t.Errorf("cleanup: %v", err)
		return
	}
	for _, c := range res.Items {
		_ = e.r.RemoveContainer(ctx, c.ID)
	}
}
