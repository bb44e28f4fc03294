package reconcile

import (
	"slices"
	"testing"
)

func TestTargetGroupServicesFollowEachPass(t *testing.T) {
	var g targetGroupServices
	g.track("svc-a", []string{"tg-1", "tg-2"})
	g.track("svc-b", []string{"tg-1"})
	if got := sorted(g.services("tg-1")); !slices.Equal(got, []string{"svc-a", "svc-b"}) {
		t.Fatalf("tg-1 serves %v, want svc-a and svc-b", got)
	}
	g.track("svc-a", []string{"tg-2"}) // an update moved it
	g.track("svc-b", nil)              // deleted
	if got := g.services("tg-1"); len(got) != 0 {
		t.Fatalf("tg-1 still serves %v", got)
	}
	if got := g.services("tg-2"); !slices.Equal(got, []string{"svc-a"}) {
		t.Fatalf("tg-2 serves %v, want svc-a", got)
	}
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
