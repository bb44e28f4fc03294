package engine

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// A resource's properties read back from the state directory (through
// JSON) are the same value as those the template evaluates to.
func TestSameValueThroughJSON(t *testing.T) {
	props := map[string]any{"Port": 80, "Ratio": 0.5, "Zones": []string{"a", "b"}, "On": true,
		"Nested": map[string]any{"List": []any{1, "x"}}}
	raw, err := json.Marshal(props)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !SameValue(props, back) || !SameValue(props["Port"], back["Port"]) {
		t.Errorf("%v and %v differ", props, back)
	}
	for _, other := range []any{map[string]any{"Port": "80"}, map[string]any{"Port": 81}, 80, nil} {
		if SameValue(map[string]any{"Port": 80}, other) {
			t.Errorf("%v is not %v", other, props)
		}
	}
}

// A create cut short (the emulator restarted) ends as a failed create:
// what it made is rolled back, kept, or rolled back and the stack deleted,
// as OnFailure says; a resource that never got a physical ID is only
// forgotten.
func TestEndCreate(t *testing.T) {
	cases := []struct{ onFailure, status string }{
		{"", "ROLLBACK_COMPLETE"}, {OnFailureDoNothing, "CREATE_FAILED"}, {OnFailureDelete, "DELETE_COMPLETE"},
	}
	for _, c := range cases {
		t.Run(c.status, func(t *testing.T) {
			f := newFake()
			e := newEngine(f)
			made := create(t, e, config(t, `{"Resources": {"A": {"Type": "Test::Thing", "Properties": {"Name": "a"}}}}`, nil), "", 0)
			cfg := config(t, `{"Resources": {"A": {"Type": "Test::Thing", "Properties": {"Name": "a"}},
  "B": {"Type": "Test::Thing", "DependsOn": "A", "Properties": {"Name": "b"}}}}`, nil)
			cur := &Deployed{Config: *cfg, Resources: copyResources(made.final.Resources)}
			// B's create was in flight when the process died: no physical ID.
			pending := "B"
			cur.Resources[pending] = &Resource{LogicalID: pending, Type: "Test::Thing", Status: "CREATE_FAILED"}
			s := newSink()
			e.Run(context.Background(), Operation{Kind: KindEndCreate, Stack: testStack, Current: cur, OnFailure: c.onFailure, Sink: s, Reason: "restarted"})
			finalWithFinish(t, s)
			if s.status != c.status {
				t.Fatalf("status %s (%q)", s.status, s.reason)
			}
			if got := len(f.liveIDs()); c.onFailure == OnFailureDoNothing && got != 1 || c.onFailure != OnFailureDoNothing && got != 0 {
				t.Errorf("%d resources live", got)
			}
			if c.onFailure == "" && s.reasonOf("s1", "ROLLBACK_IN_PROGRESS") != "restarted. Rollback requested by user." {
				t.Errorf("rollback reason %q", s.reasonOf("s1", "ROLLBACK_IN_PROGRESS"))
			}
			if c.onFailure != OnFailureDoNothing && !slices.Contains(s.statuses(pending), "DELETE_COMPLETE") {
				t.Errorf("%s: %v", pending, s.statuses(pending))
			}
		})
	}
}

// early makes its resource, tells Request.Created, then fails (as an ECS
// service that never gets stable).
type early struct{ live, deleted []string }

func (p *early) Create(_ context.Context, req *Request) (*Result, error) {
	p.live = append(p.live, "svc-"+req.LogicalID)
	req.Created("svc-" + req.LogicalID)
	return nil, &Failure{Message: "not stable"}
}
func (p *early) Update(context.Context, *Request) (*Result, error) { return nil, nil }
func (p *early) Delete(_ context.Context, req *Request) error {
	p.deleted = append(p.deleted, req.PhysicalID)
	return nil
}
func (p *early) Replaces(_, _ map[string]any) bool { return false }

// A resource made but never ready is deleted by the rollback.
func TestCreatedBeforeReady(t *testing.T) {
	p := &early{}
	e := New(Options{Providers: Registry{"Test::Early": p}})
	s := create(t, e, config(t, `{"Resources": {"Svc": {"Type": "Test::Early"}}}`, nil), "", 0)
	if s.status != "ROLLBACK_COMPLETE" || !slices.Equal(p.deleted, []string{"svc-Svc"}) {
		t.Fatalf("status %s, deleted %v", s.status, p.deleted)
	}
	var failed string
	for _, ev := range s.events {
		if ev.LogicalID == "Svc" && ev.Status == "CREATE_FAILED" {
			failed = ev.PhysicalID
		}
	}
	if failed != "svc-Svc" {
		t.Errorf("CREATE_FAILED event with physical ID %q", failed)
	}
}
