package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

const parallelTemplate = `{"Resources": {
  "A": {"Type": "Test::Thing", "Properties": {"Name": "a"}},
  "B": {"Type": "Test::Thing", "Properties": {"Name": "b"}},
  "C": {"Type": "Test::Thing", "Properties": {"Name": "c"}},
  "D": {"Type": "Test::Thing", "Properties": {"Deps": [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Ref": "C"}]}}
 },
 "Outputs": {"DArn": {"Value": {"Fn::GetAtt": ["D", "Arn"]}, "Export": {"Name": "d-arn"}}}}`

func create(t *testing.T, e *Engine, cfg *Config, onFailure string, timeout time.Duration) *memSink {
	t.Helper()
	s := newSink()
	e.Run(context.Background(), Operation{Kind: KindCreate, Stack: testStack, Next: cfg, Sink: s, OnFailure: onFailure, Timeout: timeout})
	finalWithFinish(t, s)
	return s
}

// finalWithFinish checks that the final status came with Finish, not
// before it: a client that sees CREATE_COMPLETE must also see the outputs
// and the deployed state that Finish brings.
func finalWithFinish(t *testing.T, s *memSink) {
	t.Helper()
	if s.early != "" {
		t.Errorf("the final status %s was set before Finish", s.early)
	}
}

func TestCreateOrderParallelismOutputs(t *testing.T) {
	f := newFake()
	f.delay = 30 * time.Millisecond
	s := create(t, newEngine(f), config(t, parallelTemplate, nil), "", 0)
	if s.status != "CREATE_COMPLETE" {
		t.Fatalf("status %s (%s)", s.status, s.reason)
	}
	calls := f.callList()
	if calls[3] != "create D" {
		t.Errorf("D must be created last: %v", calls)
	}
	if p := f.peak.Load(); p != 3 {
		t.Errorf("peak parallel creates %d, want 3", p)
	}
	if got := s.final.Resources["D"].Properties["Deps"]; !slices.Equal(toStrings(got), []string{"a", "arn:fake:b", "c"}) {
		t.Errorf("D's evaluated Deps %v", got)
	}
	if len(s.final.Outputs) != 1 || s.final.Outputs[0].Value != "arn:fake:D-1" || s.claimed["d-arn"] != "arn:fake:D-1" {
		t.Errorf("outputs %+v, exports %v", s.final.Outputs, s.claimed)
	}
	if got := s.statuses("A"); !slices.Equal(got, []string{"CREATE_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"}) {
		t.Errorf("A's events %v", got)
	}
	if got := s.statuses("s1"); !slices.Equal(got, []string{"CREATE_IN_PROGRESS", "CREATE_COMPLETE"}) || s.reasonOf("s1", "CREATE_IN_PROGRESS") != "User Initiated" {
		t.Errorf("stack events %v", got)
	}
}

func TestParallelismBound(t *testing.T) {
	body := `{"Resources": {`
	for i := range 12 {
		if i > 0 {
			body += ","
		}
		body += `"R` + string(rune('a'+i)) + `": {"Type": "Test::Thing"}`
	}
	body += "}}"
	f := newFake()
	f.delay = 20 * time.Millisecond
	e := New(Options{Providers: Registry{"Test::Thing": f}, Parallelism: 4})
	if s := create(t, e, config(t, body, nil), "", 0); s.status != "CREATE_COMPLETE" {
		t.Fatal(s.status)
	}
	if p := f.peak.Load(); p != 4 {
		t.Errorf("peak %d, want the bound 4", p)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

const failingTemplate = `{"Resources": {
  "A": {"Type": "Test::Thing", "Properties": {"Name": "a"}},
  "B": {"Type": "Test::Thing", "DependsOn": "A", "Properties": {"Fail": "create"}},
  "C": {"Type": "Test::Thing", "DependsOn": "A", "Properties": {"Block": true}},
  "D": {"Type": "Test::Thing", "DependsOn": "B"}
}}`

func TestCreateFailure(t *testing.T) {
	cases := []struct {
		onFailure, status, reason string
		live                      bool
	}{
		{"", "ROLLBACK_COMPLETE", "The following resource(s) failed to create: [B, C]. Rollback requested by user.", false},
		{OnFailureDoNothing, "CREATE_FAILED", "The following resource(s) failed to create: [B, C]. ", true},
		{OnFailureDelete, "DELETE_COMPLETE", "", false},
	}
	for _, c := range cases {
		t.Run(c.status, func(t *testing.T) {
			f := newFake()
			s := create(t, newEngine(f), config(t, failingTemplate, nil), c.onFailure, 0)
			if s.status != c.status || s.reason != c.reason && c.status != "ROLLBACK_COMPLETE" {
				t.Fatalf("status %s (%q)", s.status, s.reason)
			}
			if c.status == "ROLLBACK_COMPLETE" && s.reasonOf("s1", "ROLLBACK_IN_PROGRESS") != c.reason {
				t.Errorf("rollback reason %q", s.reasonOf("s1", "ROLLBACK_IN_PROGRESS"))
			}
			if got := s.reasonOf("B", "CREATE_FAILED"); got != "boom: B" {
				t.Errorf("B's reason %q", got)
			}
			if got := s.reasonOf("C", "CREATE_FAILED"); got != "Resource creation cancelled" {
				t.Errorf("C's reason %q", got)
			}
			if len(s.statuses("D")) != 0 {
				t.Errorf("D was touched: %v", s.statuses("D"))
			}
			if got := f.liveIDs()["a"]; got != c.live {
				t.Errorf("A live = %v, want %v", got, c.live)
			}
		})
	}
}

func TestTimeoutRollsBack(t *testing.T) {
	f := newFake()
	body := `{"Resources": {"A": {"Type": "Test::Thing", "Properties": {"Block": true}}}}`
	s := create(t, newEngine(f), config(t, body, nil), "", 50*time.Millisecond)
	if s.status != "ROLLBACK_COMPLETE" || s.reasonOf("A", "CREATE_FAILED") != "Resource creation cancelled" {
		t.Fatalf("status %s, A: %q", s.status, s.reasonOf("A", "CREATE_FAILED"))
	}
}

func TestUnsupportedTypes(t *testing.T) {
	cases := map[string]string{
		"AWS::Foo::Bar":              "Resource type AWS::Foo::Bar is not supported by this emulator",
		"Custom::Thing":              "Custom resource Custom::Thing backed by Lambda is not supported (no Lambda here)",
		"AWS::CloudFormation::Stack": "Nested stacks (AWS::CloudFormation::Stack) are not supported by this emulator",
	}
	for typ, want := range cases {
		t.Run(typ, func(t *testing.T) {
			s := create(t, newEngine(newFake()), config(t, `{"Resources": {"X": {"Type": "`+typ+`", "Properties": {"ServiceToken": "arn"}}}}`, nil), "", 0)
			if s.status != "ROLLBACK_COMPLETE" || s.reasonOf("X", "CREATE_FAILED") != want {
				t.Errorf("status %s, reason %q", s.status, s.reasonOf("X", "CREATE_FAILED"))
			}
		})
	}
}

func TestBuiltinsAndConditions(t *testing.T) {
	body := `{"Parameters": {"On": {"Type": "String", "Default": "no"}},
	 "Conditions": {"IsOn": {"Fn::Equals": [{"Ref": "On"}, "yes"]}},
	 "Resources": {
	  "M": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2"}},
	  "H": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
	  "W": {"Type": "AWS::CloudFormation::WaitCondition", "Properties": {"Handle": {"Ref": "H"}, "Timeout": "10"}},
	  "Off": {"Type": "Test::Thing", "Condition": "IsOn"}}}`
	f := newFake()
	s := create(t, newEngine(f), config(t, body, nil), "", 0)
	if s.status != "CREATE_COMPLETE" {
		t.Fatalf("%s %s", s.status, s.reason)
	}
	if _, ok := s.final.Resources["Off"]; ok || len(f.callList()) != 0 {
		t.Errorf("a condition-false resource was created")
	}
	if len(s.final.Resources) != 3 {
		t.Errorf("resources %v", s.final.Resources)
	}
}

func deploy(t *testing.T, e *Engine, body string) *Deployed {
	t.Helper()
	s := create(t, e, config(t, body, nil), "", 0)
	if s.status != "CREATE_COMPLETE" {
		t.Fatalf("create: %s %s", s.status, s.reason)
	}
	return s.final
}

func update(t *testing.T, e *Engine, cur *Deployed, next *Config) *memSink {
	t.Helper()
	s := newSink()
	e.Run(context.Background(), Operation{Kind: KindUpdate, Stack: testStack, Current: cur, Next: next, Sink: s})
	finalWithFinish(t, s)
	return s
}

const baseTemplate = `{"Resources": {
  "Keep": {"Type": "Test::Thing", "Properties": {"Name": "keep"}},
  "Mod": {"Type": "Test::Thing", "Properties": {"Size": 1}},
  "Rep": {"Type": "Test::Thing", "Properties": {"Name": "rep-1"}},
  "User": {"Type": "Test::Thing", "Properties": {"Uses": {"Ref": "Rep"}}},
  "Gone": {"Type": "Test::Thing", "Properties": {"Name": "gone"}},
  "Kept": {"Type": "Test::Thing", "DeletionPolicy": "Retain", "Properties": {"Name": "kept"}}
}}`

const nextTemplate = `{"Resources": {
  "Keep": {"Type": "Test::Thing", "Properties": {"Name": "keep"}},
  "Mod": {"Type": "Test::Thing", "Properties": {"Size": 2}},
  "Rep": {"Type": "Test::Thing", "Properties": {"Name": "rep-2"}},
  "User": {"Type": "Test::Thing", "Properties": {"Uses": {"Ref": "Rep"}}},
  "New": {"Type": "Test::Thing", "Properties": {"Name": "new"}}
}}`

func TestUpdate(t *testing.T) {
	f := newFake()
	e := newEngine(f)
	cur := deploy(t, e, baseTemplate)
	next := config(t, nextTemplate, nil)

	changes, err := e.Plan(testStack, cur, next, newSink())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.LogicalID+":"+c.Action+":"+c.Replacement)
	}
	want := []string{"Gone:Remove:", "Kept:Remove:", "Mod:Modify:False", "New:Add:", "Rep:Modify:True", "User:Modify:False"}
	if !slices.Equal(got, want) {
		t.Errorf("plan %v, want %v", got, want)
	}

	s := update(t, e, cur, next)
	if s.status != "UPDATE_COMPLETE" {
		t.Fatalf("update: %s %s", s.status, s.reason)
	}
	if !slices.Contains(s.statuses("s1"), "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS") {
		t.Errorf("no cleanup phase: %v", s.statuses("s1"))
	}
	live := f.liveIDs()
	for id, want := range map[string]bool{"keep": true, "rep-1": false, "rep-2": true, "gone": false, "kept": true, "new": true} {
		if live[id] != want {
			t.Errorf("%s live = %v, want %v", id, live[id], want)
		}
	}
	if s.final.Resources["User"].Properties["Uses"] != "rep-2" {
		t.Errorf("User not updated to the replacement: %v", s.final.Resources["User"].Properties)
	}
	if len(s.statuses("Keep")) != 0 {
		t.Errorf("an unchanged resource was touched: %v", s.statuses("Keep"))
	}
	if s.reasonOf("Rep", "UPDATE_IN_PROGRESS") != "Requested update requires the creation of a new physical resource; hence creating one." {
		t.Errorf("replacement reason %q", s.reasonOf("Rep", "UPDATE_IN_PROGRESS"))
	}
	if !slices.Contains(s.statuses("Kept"), "DELETE_SKIPPED") {
		t.Errorf("retained resource events %v", s.statuses("Kept"))
	}
	if _, ok := s.final.Resources["Gone"]; ok {
		t.Error("removed resource still listed")
	}

	again, err := e.Plan(testStack, s.final, next, newSink())
	if err != nil || len(again) != 0 {
		t.Errorf("plan of an unchanged template: %v %v", again, err)
	}
}

func TestUpdateRollback(t *testing.T) {
	f := newFake()
	e := newEngine(f)
	cur := deploy(t, e, baseTemplate)
	next := config(t, strings.Replace(nextTemplate, `"Name": "new"`, `"Fail": "create"`, 1), nil)
	s := update(t, e, cur, next)
	if s.status != "UPDATE_ROLLBACK_COMPLETE" {
		t.Fatalf("status %s %s", s.status, s.reason)
	}
	if r := s.reasonOf("s1", "UPDATE_ROLLBACK_IN_PROGRESS"); r != "The following resource(s) failed to create: [New]. " {
		t.Errorf("rollback reason %q", r)
	}
	if s.final.Template != cur.Template {
		t.Error("the previous template is not back in effect")
	}
	live := f.liveIDs()
	for id, want := range map[string]bool{"keep": true, "rep-1": true, "rep-2": false, "gone": true, "kept": true} {
		if live[id] != want {
			t.Errorf("%s live = %v, want %v", id, live[id], want)
		}
	}
	if got := s.final.Resources["Mod"].Properties["Size"]; got != 1 {
		t.Errorf("Mod not rolled back: %v", got)
	}
	if got := s.final.Resources["Rep"].PhysicalID; got != "rep-1" {
		t.Errorf("Rep is %s after rollback", got)
	}
	if !slices.Contains(s.statuses("s1"), "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS") {
		t.Errorf("stack events %v", s.statuses("s1"))
	}
}

func TestDelete(t *testing.T) {
	t.Run("reverse order, retained", func(t *testing.T) {
		f := newFake()
		e := newEngine(f)
		cur := deploy(t, e, `{"Resources": {"A": {"Type": "Test::Thing"}, "B": {"Type": "Test::Thing", "Properties": {"X": {"Ref": "A"}}},
		  "R": {"Type": "Test::Thing", "DeletionPolicy": "Retain", "Properties": {"Name": "r"}}}}`)
		s := newSink()
		e.Run(context.Background(), Operation{Kind: KindDelete, Stack: testStack, Current: cur, Sink: s})
		if s.status != "DELETE_COMPLETE" || s.final != nil {
			t.Fatalf("%s %s", s.status, s.reason)
		}
		calls := f.callList()
		if i, j := slices.Index(calls, "delete B"), slices.Index(calls, "delete A"); i < 0 || j < i {
			t.Errorf("B must go before A: %v", calls)
		}
		if !f.liveIDs()["r"] || !slices.Equal(s.statuses("R"), []string{"DELETE_SKIPPED"}) {
			t.Errorf("retained: %v", s.statuses("R"))
		}
	})
	t.Run("failure then retain", func(t *testing.T) {
		f := newFake()
		e := newEngine(f)
		cur := deploy(t, e, `{"Resources": {"A": {"Type": "Test::Thing"}}}`)
		f.failDel["A"] = true
		s := newSink()
		e.Run(context.Background(), Operation{Kind: KindDelete, Stack: testStack, Current: cur, Sink: s})
		if s.status != "DELETE_FAILED" || s.reason != "The following resource(s) failed to delete: [A]. " {
			t.Fatalf("%s %q", s.status, s.reason)
		}
		s2 := newSink()
		e.Run(context.Background(), Operation{Kind: KindDelete, Stack: testStack, Current: s.final, Sink: s2, Retain: map[string]bool{"A": true}})
		if s2.status != "DELETE_COMPLETE" {
			t.Fatalf("retry: %s %s", s2.status, s2.reason)
		}
	})
	t.Run("exports in use", func(t *testing.T) {
		e := newEngine(newFake())
		cur := deploy(t, e, `{"Resources": {"A": {"Type": "Test::Thing"}}}`)
		s := newSink()
		s.inUse = &Failure{Message: "Export x cannot be deleted as it is in use by other"}
		e.Run(context.Background(), Operation{Kind: KindDelete, Stack: testStack, Current: cur, Sink: s})
		if s.status != "DELETE_FAILED" || s.reason != "Export x cannot be deleted as it is in use by other" {
			t.Fatalf("%s %q", s.status, s.reason)
		}
	})
}

func TestExportsAndImports(t *testing.T) {
	f := newFake()
	e := newEngine(f)
	s := newSink()
	s.exports["taken"] = "v"
	body := `{"Resources": {"A": {"Type": "Test::Thing", "Properties": {"In": {"Fn::ImportValue": "base"}}}},
	  "Outputs": {"O": {"Value": "x", "Export": {"Name": "taken"}}}}`
	s.exports["base"] = "imported"
	e.Run(context.Background(), Operation{Kind: KindCreate, Stack: testStack, Next: config(t, body, nil), Sink: s})
	if s.status != "ROLLBACK_COMPLETE" || s.reasonOf("s1", "ROLLBACK_IN_PROGRESS") != "Export with name taken is already exported by stack other. Rollback requested by user." {
		t.Fatalf("%s %q", s.status, s.reasonOf("s1", "ROLLBACK_IN_PROGRESS"))
	}
	if len(f.liveIDs()) != 0 {
		t.Error("rollback left resources")
	}
	delete(s.exports, "taken")
	s2 := newSink()
	s2.exports["base"] = "imported"
	e.Run(context.Background(), Operation{Kind: KindCreate, Stack: testStack, Next: config(t, body, nil), Sink: s2})
	if s2.status != "CREATE_COMPLETE" || !slices.Equal(s2.final.Imports, []string{"base"}) || s2.final.Resources["A"].Properties["In"] != "imported" {
		t.Fatalf("%s %s %v", s2.status, s2.reason, s2.final)
	}
}

func TestStartAndCancel(t *testing.T) {
	f := newFake()
	e := newEngine(f)
	cur := deploy(t, e, `{"Resources": {"A": {"Type": "Test::Thing"}}}`)
	s := newSink()
	h := e.Start(context.Background(), Operation{Kind: KindUpdate, Stack: testStack, Current: cur, Sink: s,
		Next: config(t, `{"Resources": {"A": {"Type": "Test::Thing"}, "B": {"Type": "Test::Thing", "Properties": {"Block": true}}}}`, nil)})
	time.Sleep(20 * time.Millisecond)
	h.Cancel()
	select {
	case <-h.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled update did not end")
	}
	if s.status != "UPDATE_ROLLBACK_COMPLETE" {
		t.Fatalf("%s %s", s.status, s.reason)
	}
}
