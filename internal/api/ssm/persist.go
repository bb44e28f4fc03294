package ssm

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Persistence. A region keeps one record per parameter, with all its
// versions (at most 100), labels and tags, under
// "<account>/<region>/param/<name>", and a "<account>/<region>/region"
// record saying the region exists, so that a restored region is not
// bootstrapped again (a deleted bootstrap parameter stays deleted).
// Changes are marked with touch under the store's lock; unlock writes them
// and waits for the store before the operation answers.

const (
	kindParam  = "param"
	kindRegion = "region"
)

type parameterJSON struct {
	Name     string
	Versions []versionJSON
	Tags     []types.Tag `json:",omitempty"`
	Seeded   bool        `json:",omitempty"`
}

type versionJSON struct {
	Number         int64
	Value          string
	Type           types.ParameterType
	Tier           types.ParameterTier
	Description    string `json:",omitempty"`
	AllowedPattern string `json:",omitempty"`
	KeyID          string `json:",omitempty"`
	DataType       string `json:",omitempty"`
	Modified       time.Time
	User           string
	Labels         []string `json:",omitempty"`
}

func (s *Store) prefix() string { return s.account + "/" + s.region + "/" }

// touch marks a parameter's record changed (created, updated or deleted).
func (s *Store) touch(name string) { s.journal.Touch(s.prefix() + kindParam + "/" + name) }

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		slog.Default().Error("ssm: state not saved", "region", s.region, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(key string) (any, bool) {
	kind, name, _ := strings.Cut(strings.TrimPrefix(key, s.prefix()), "/")
	if kind == kindRegion {
		return struct{}{}, true
	}
	p, ok := s.params[name]
	if !ok {
		return nil, false
	}
	out := parameterJSON{Name: p.name, Tags: p.tags, Seeded: p.seeded}
	for _, v := range p.versions {
		out.Versions = append(out.Versions, versionJSON{Number: v.number, Value: v.value, Type: v.typ, Tier: v.tier,
			Description: v.description, AllowedPattern: v.allowedPattern, KeyID: v.keyID, DataType: v.dataType,
			Modified: v.modified, User: v.user, Labels: v.labels})
	}
	return out, true
}

// Restore loads every region's parameters, replacing what the API holds.
// Restored regions are not bootstrapped again.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.stores.Reset()
	a.restoring = true
	defer func() { a.restoring = false }()
	return a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) < 3 {
			return fmt.Errorf("unexpected key")
		}
		s := a.stores.Get(parts[0], parts[1])
		switch {
		case parts[2] == kindRegion:
			return nil
		case parts[2] != kindParam || len(parts) != 4:
			return fmt.Errorf("unexpected key")
		}
		var p parameterJSON
		if err := json.Unmarshal(value, &p); err != nil {
			return err
		}
		if len(p.Versions) == 0 {
			return fmt.Errorf("parameter without versions")
		}
		r := &parameter{name: p.Name, tags: p.Tags, seeded: p.Seeded}
		for _, v := range p.Versions {
			r.versions = append(r.versions, &version{number: v.Number, value: v.Value, typ: v.Type, tier: v.Tier,
				description: v.Description, allowedPattern: v.AllowedPattern, keyID: v.KeyID, dataType: v.DataType,
				modified: v.Modified, user: v.User, labels: v.Labels})
		}
		s.params[parts[3]] = r
		return nil
	})
}
