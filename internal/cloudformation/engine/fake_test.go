package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// fake is a provider that keeps its resources in memory. A resource's
// physical ID is its Name property, or <logical ID>-<n>. Changing Name
// needs a replacement; Fail: "create" or "update" fails that call; Block
// makes Create wait for its ctx.
type fake struct {
	mu      sync.Mutex
	live    map[string]map[string]any // physical ID → properties
	calls   []string
	n       int
	running atomic.Int32
	peak    atomic.Int32
	delay   time.Duration
	failDel map[string]bool
}

func newFake() *fake { return &fake{live: map[string]map[string]any{}, failDel: map[string]bool{}} }

func (f *fake) record(op string, req *Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op+" "+req.LogicalID)
}

func (f *fake) Create(ctx context.Context, req *Request) (*Result, error) {
	f.record("create", req)
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	if req.Properties["Block"] == true {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if req.Properties["Fail"] == "create" {
		return nil, errors.New("boom: " + req.LogicalID)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id, _ := req.Properties["Name"].(string)
	if id == "" {
		f.n++
		id = fmt.Sprintf("%s-%d", req.LogicalID, f.n)
	}
	if _, dup := f.live[id]; dup {
		return nil, errors.New(id + " already exists")
	}
	f.live[id] = req.Properties
	return &Result{PhysicalID: id, Attributes: map[string]any{"Arn": "arn:fake:" + id}}, nil
}

func (f *fake) Update(_ context.Context, req *Request) (*Result, error) {
	f.record("update", req)
	if req.Properties["Fail"] == "update" {
		return nil, errors.New("update refused: " + req.LogicalID)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.live[req.PhysicalID] = req.Properties
	return &Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": "arn:fake:" + req.PhysicalID}}, nil
}

func (f *fake) Delete(_ context.Context, req *Request) error {
	f.record("delete", req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failDel[req.LogicalID] {
		return errors.New("cannot delete " + req.LogicalID)
	}
	delete(f.live, req.PhysicalID)
	return nil
}

func (f *fake) Replaces(o, n map[string]any) bool { return !reflect.DeepEqual(o["Name"], n["Name"]) }

func (f *fake) liveIDs() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for id := range f.live {
		out[id] = true
	}
	return out
}

func (f *fake) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// memSink is a Sink that keeps everything in memory.
type memSink struct {
	mu        sync.Mutex
	events    []Event
	status    string
	reason    string
	resources map[string]*Resource
	exports   map[string]string // name → value (other stacks)
	claimed   map[string]string
	inUse     error
	final     *Deployed
	done      bool
	early     string // a final status that Status set before Finish came
}

func newSink() *memSink {
	return &memSink{resources: map[string]*Resource{}, exports: map[string]string{}}
}

func (m *memSink) Event(e Event) { m.mu.Lock(); m.events = append(m.events, e); m.mu.Unlock() }
func (m *memSink) Status(s, r string) {
	m.mu.Lock()
	m.status, m.reason = s, r
	m.mu.Unlock()
}
func (m *memSink) PutResource(r *Resource)  { m.mu.Lock(); m.resources[r.LogicalID] = r; m.mu.Unlock() }
func (m *memSink) RemoveResource(id string) { m.mu.Lock(); delete(m.resources, id); m.mu.Unlock() }
func (m *memSink) ImportValue(n string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.exports[n]; ok {
		return v, nil
	}
	return "", &Failure{Message: "No export named " + n + " found."}
}
func (m *memSink) ClaimExports(e map[string]string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for n := range e {
		if _, ok := m.exports[n]; ok {
			return &Failure{Message: "Export with name " + n + " is already exported by stack other"}
		}
	}
	m.claimed = e
	return nil
}
func (m *memSink) ExportsInUse() error { return m.inUse }
func (m *memSink) Finish(d *Deployed, s, r string) {
	m.mu.Lock()
	if m.status == s {
		m.early = s
	}
	m.final, m.status, m.reason, m.done = d, s, r, true
	m.mu.Unlock()
}

// statuses are the events' statuses of one logical ID, in order.
func (m *memSink) statuses(id string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, e := range m.events {
		if e.LogicalID == id {
			out = append(out, e.Status)
		}
	}
	return out
}

func (m *memSink) reasonOf(id, status string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.events {
		if e.LogicalID == id && e.Status == status {
			return e.Reason
		}
	}
	return ""
}

func mustParse(t *testing.T, body string) *template.Template {
	t.Helper()
	tp, err := template.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := tp.Validate(); err != nil {
		t.Fatal(err)
	}
	return tp
}

func config(t *testing.T, body string, params map[string]string) *Config {
	t.Helper()
	tp := mustParse(t, body)
	p, err := tp.ResolveParameters(params, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Template: tp, Params: p}
}

var testStack = Stack{Name: "s1", ID: "arn:aws:cloudformation:us-east-1:000000000000:stack/s1/x", Region: "us-east-1", Account: "000000000000"}

func newEngine(f *fake) *Engine {
	return New(Options{Providers: Registry{"Test::Thing": f}})
}
