package secretsmanager

import (
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/localaws/ecsemu/internal/state"
)

// version is one value of a secret with the staging labels it carries.
// Exactly one of str and bin is set.
type version struct {
	id       string
	str      *string
	bin      []byte
	created  time.Time
	accessed time.Time // day of the last GetSecretValue; zero if never
	stages   []string
}

func (v *version) has(stage string) bool {
	for _, s := range v.stages {
		if s == stage {
			return true
		}
	}
	return false
}

// secret is a named secret: its metadata and versions, oldest first.
type secret struct {
	arn, name   string
	description string
	kmsKeyID    string
	tags        []types.Tag
	created     time.Time
	changed     time.Time
	accessed    time.Time
	// deleted is when DeleteSecret scheduled the deletion, purgeAt when
	// the secret goes for good; both zero for a live secret.
	deleted, purgeAt time.Time
	versions         []*version
}

func (s *secret) isDeleted() bool { return !s.deleted.IsZero() }

// byID finds a version by its ID.
func (s *secret) byID(id string) *version {
	for _, v := range s.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

// byStage finds the version carrying a staging label.
func (s *secret) byStage(stage string) *version {
	for _, v := range s.versions {
		if v.has(stage) {
			return v
		}
	}
	return nil
}

// Store holds the Secrets Manager state of one account in one region. It
// has one lock; reads return copies built from the records.
type Store struct {
	region, account string
	now             func() time.Time
	random          io.Reader

	mu      sync.Mutex
	secrets map[string]*secret // by name
	journal *state.Journal     // records changed under mu (persist.go)
}

func newStore(region, account string, now func() time.Time, random io.Reader) *Store {
	return &Store{region: region, account: account, now: now, random: random, secrets: map[string]*secret{}}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// timestamp is now at the millisecond precision the wire carries.
func (s *Store) timestamp() time.Time { return s.now().Truncate(time.Millisecond) }

// lock takes the store's lock after dropping the secrets whose recovery
// window has ended, so that every operation sees them gone. The caller
// runs the returned unlock.
func (s *Store) lock() func() {
	s.mu.Lock()
	now := s.now()
	for name, sec := range s.secrets {
		if sec.isDeleted() && !now.Before(sec.purgeAt) {
			s.touch(name)
			delete(s.secrets, name)
		}
	}
	return s.unlock
}

// sortedNames lists secret names in order. Callers hold the lock.
func (s *Store) sortedNames() []string {
	names := make([]string, 0, len(s.secrets))
	for n := range s.secrets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// timePtr is nil for the zero time, which the wire omits.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nonEmpty is nil for "", which the wire omits.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
