package secretsmanager

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Persistence. A region keeps one record per secret, with all its
// versions, values and staging labels, under
// "<account>/<region>/secret/<name>". Changes are marked with touch under
// the store's lock (the purge of a secret whose recovery window ended
// too); unlock writes them and waits for the store before the operation
// answers. Version IDs are random (or the caller's tokens): none is
// reused after a restart.

const kindSecret = "secret"

type secretJSON struct {
	ARN         string
	Name        string
	Description string      `json:",omitempty"`
	KMSKeyID    string      `json:",omitempty"`
	Tags        []types.Tag `json:",omitempty"`
	Created     time.Time
	Changed     time.Time
	Accessed    time.Time `json:",omitzero"`
	Deleted     time.Time `json:",omitzero"`
	PurgeAt     time.Time `json:",omitzero"`
	Versions    []versionJSON
}

type versionJSON struct {
	ID       string
	String   *string `json:",omitempty"`
	Binary   []byte  `json:",omitempty"`
	Created  time.Time
	Accessed time.Time `json:",omitzero"`
	Stages   []string  `json:",omitempty"`
}

// touch marks a secret's record changed (created, updated or deleted).
func (s *Store) touch(name string) {
	s.journal.Touch(s.account + "/" + s.region + "/" + kindSecret + "/" + name)
}

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		slog.Default().Error("secretsmanager: state not saved", "region", s.region, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(key string) (any, bool) {
	name := strings.SplitN(key, "/", 4)[3]
	sec, ok := s.secrets[name]
	if !ok {
		return nil, false
	}
	out := secretJSON{ARN: sec.arn, Name: sec.name, Description: sec.description, KMSKeyID: sec.kmsKeyID, Tags: sec.tags,
		Created: sec.created, Changed: sec.changed, Accessed: sec.accessed, Deleted: sec.deleted, PurgeAt: sec.purgeAt}
	for _, v := range sec.versions {
		out.Versions = append(out.Versions, versionJSON{ID: v.id, String: v.str, Binary: v.bin, Created: v.created,
			Accessed: v.accessed, Stages: v.stages})
	}
	return out, true
}

// Restore loads every region's secrets, replacing what the API holds.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.stores.Reset()
	return a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) != 4 || parts[2] != kindSecret {
			return fmt.Errorf("unexpected key")
		}
		var r secretJSON
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		sec := &secret{arn: r.ARN, name: r.Name, description: r.Description, kmsKeyID: r.KMSKeyID, tags: r.Tags,
			created: r.Created, changed: r.Changed, accessed: r.Accessed, deleted: r.Deleted, purgeAt: r.PurgeAt}
		for _, v := range r.Versions {
			sec.versions = append(sec.versions, &version{id: v.ID, str: v.String, bin: v.Binary, created: v.Created,
				accessed: v.Accessed, stages: v.Stages})
		}
		a.stores.Get(parts[0], parts[1]).secrets[parts[3]] = sec
		return nil
	})
}
