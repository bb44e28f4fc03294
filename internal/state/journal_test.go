package state

import (
	"testing"
)

func TestJournalWritesCurrentValuesOnce(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	b := db.Bucket("ecs")
	current := map[string]record{}
	j := b.Journal()

	current["task/a"] = record{"a", 1}
	j.Touch("task/a")
	current["task/a"] = record{"a", 2} // changed again in the same section
	j.Touch("task/a")
	current["task/b"] = record{"b", 1}
	j.Touch("task/b")
	lookup := func(k string) (any, bool) { v, ok := current[k]; return v, ok }
	if err := j.Flush(lookup).Wait(); err != nil {
		t.Fatal(err)
	}
	delete(current, "task/b")
	j.Touch("task/b")
	if err := j.Flush(lookup).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := j.Flush(lookup).Wait(); err != nil { // nothing touched: nothing to do
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open(t, dir)
	defer db.Close()
	got := load(t, db.Bucket("ecs"))
	if len(got) != 1 || got["task/a"] != (record{"a", 2}) {
		t.Fatalf("stored %v, want only task/a at its last value", got)
	}
	if err := db.Bucket("ecs").Clear(); err != nil {
		t.Fatal(err)
	}
	if got := load(t, db.Bucket("ecs")); len(got) != 0 {
		t.Fatalf("after Clear: %v", got)
	}
}

func TestJournalOfNilBucketKeepsNothing(t *testing.T) {
	var b *Bucket
	j := b.Journal()
	j.Touch("x")
	called := false
	if err := j.Flush(func(string) (any, bool) { called = true; return 1, true }).Wait(); err != nil || called {
		t.Fatalf("nil journal: err %v, value asked %v", err, called)
	}
	if err := b.Clear(); err != nil {
		t.Fatal(err)
	}
}
