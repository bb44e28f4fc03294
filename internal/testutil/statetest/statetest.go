// Package statetest checks a service's state directory against the
// service's memory in tests: after every operation the stored records must
// be exactly the ones the service would write for what it holds now, so a
// change that forgot to mark its record shows up at once.
package statetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
)

// Open opens a state directory for a test, quietly.
func Open(t testing.TB, dir string) *state.DB {
	t.Helper()
	db, err := state.Open(dir, state.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Records is what a bucket holds, by key.
func Records(b *state.Bucket) (map[string]string, error) {
	out := map[string]string{}
	err := b.Load(func(k string, v []byte) error {
		out[k] = string(v)
		return nil
	})
	return out, err
}

// Encode turns values into records as the store writes them (JSON).
func Encode(values map[string]any) (map[string]string, error) {
	out := make(map[string]string, len(values))
	for k, v := range values {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = string(raw)
	}
	return out, nil
}

// Same compares two record sets and describes every difference.
func Same(what string, got, want map[string]string) error {
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+k+": "+w)
		case !jsonEqual(g, w):
			diffs = append(diffs, "differs "+k+":\n  got  "+g+"\n  want "+w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "extra "+k+": "+got[k])
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	sort.Strings(diffs)
	return fmt.Errorf("%s records differ from memory:\n%s", what, strings.Join(diffs, "\n"))
}

func jsonEqual(a, b string) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, []byte(a)) != nil || json.Compact(&y, []byte(b)) != nil {
		return a == b
	}
	return x.String() == y.String()
}

// checker runs check after an operation, before its answer leaves, when
// no other operation is under way: memory and store agree only between
// operations (an operation's records reach the store after it releases
// the service's lock).
type checker struct {
	t      testing.TB
	check  func() error
	active sync.RWMutex // held for reading by each operation
}

func (c *checker) run(name string, op func()) {
	c.active.RLock()
	op()
	c.active.RUnlock()
	if !c.active.TryLock() {
		return // another operation is running: the next quiet moment checks
	}
	defer c.active.Unlock()
	if err := c.check(); err != nil {
		c.t.Errorf("after %s: %v", name, err)
	}
}

// JSON wraps a JSON-protocol service so that check runs after its
// operations.
func JSON(t testing.TB, svc server.JSONService, check func() error) server.JSONService {
	return checkedJSON{svc, &checker{t: t, check: check}}
}

type checkedJSON struct {
	svc server.JSONService
	c   *checker
}

func (c checkedJSON) Handle(ctx context.Context, operation string, body []byte) (out any, err error) {
	c.c.run(operation, func() { out, err = c.svc.Handle(ctx, operation, body) })
	return out, err
}

// REST is JSON for a REST service: the answer is held back until the
// check ran.
func REST(t testing.TB, h http.Handler, check func() error) http.Handler {
	c := &checker{t: t, check: check}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		c.run(r.Method+" "+r.URL.Path, func() { h.ServeHTTP(rec, r) })
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// Query is JSON for a query-protocol service.
func Query(t testing.TB, svc server.QueryService, check func() error) server.QueryService {
	return checkedQuery{svc, &checker{t: t, check: check}}
}

type checkedQuery struct {
	svc server.QueryService
	c   *checker
}

func (c checkedQuery) Handle(ctx context.Context, action string, values url.Values) (out any, err error) {
	c.c.run(action, func() { out, err = c.svc.Handle(ctx, action, values) })
	return out, err
}
