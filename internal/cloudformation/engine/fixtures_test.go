package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// anything is a provider for every type of the CDK fixtures: it answers
// every attribute they read.
type anything struct {
	mu sync.Mutex
	n  int
}

func (a *anything) Create(_ context.Context, req *Request) (*Result, error) {
	a.mu.Lock()
	a.n++
	id := req.LogicalID + "-" + strings.Repeat("x", a.n%3+1)
	a.mu.Unlock()
	attrs := map[string]any{}
	for _, k := range []string{"GroupId", "Arn", "Id", "DNSName", "DefaultSecurityGroup", "AllocationId", "Name"} {
		attrs[k] = k + ":" + id
	}
	return &Result{PhysicalID: id, Attributes: attrs}, nil
}

func (a *anything) Update(_ context.Context, req *Request) (*Result, error) {
	return &Result{PhysicalID: req.PhysicalID, Attributes: req.PreviousAttributes}, nil
}

func (a *anything) Delete(context.Context, *Request) error { return nil }

func (a *anything) Replaces(_, _ map[string]any) bool { return false }

// TestCDKFixtures deploys the synthesized tutorial stacks with a fake
// provider for every type (Custom::VpcRestrictDefaultSG too, as app
// registers it natively), plans
// an unchanged redeploy (no changes) and deletes them.
func TestCDKFixtures(t *testing.T) {
	files, _ := filepath.Glob("../testdata/cdk/tutorial-*.json")
	if len(files) == 0 {
		t.Skip("no CDK fixtures")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tp := mustParse(t, string(body))
			params, err := tp.ResolveParameters(nil, nil, nil, func(string) (string, error) { return "30", nil })
			if err != nil {
				t.Fatal(err)
			}
			p := &anything{}
			reg := Registry{}
			for _, r := range tp.Resources {
				reg[r.Type] = p
			}
			e := New(Options{Providers: reg})
			cfg := &Config{Template: tp, Params: params}
			s := newSink()
			e.Run(context.Background(), Operation{Kind: KindCreate, Stack: testStack, Next: cfg, Sink: s})
			if s.status != "CREATE_COMPLETE" {
				t.Fatalf("%s %s", s.status, s.reason)
			}
			if len(s.final.Resources) != len(tp.Resources) {
				t.Errorf("%d of %d resources", len(s.final.Resources), len(tp.Resources))
			}
			changes, err := e.Plan(testStack, s.final, cfg, newSink())
			if err != nil || len(changes) != 0 {
				t.Errorf("unchanged redeploy plans %v (%v)", changes, err)
			}
			d := newSink()
			e.Run(context.Background(), Operation{Kind: KindDelete, Stack: testStack, Current: s.final, Sink: d})
			if d.status != "DELETE_COMPLETE" {
				t.Errorf("delete: %s %s", d.status, d.reason)
			}
		})
	}
}
