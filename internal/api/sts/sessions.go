package sts

import (
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/state"
)

// identity is whom a request's access key stands for.
type identity struct {
	account string
	arn     string
	userID  string
	// assumedRole marks role session credentials: GetSessionToken refuses
	// them and AssumeRole with them is role chaining.
	assumedRole bool
	// temporary marks credentials STS issued (GetSessionToken refuses
	// them too).
	temporary bool
	expires   time.Time // zero: never
}

// sessions remembers the identities of the access keys STS issued. It
// holds at most max keys; issuing one more forgets the oldest, so a
// long-running emulator handing out credentials in a loop stays bounded.
type sessions struct {
	mu     sync.Mutex
	byKey  map[string]identity
	ring   []string // keys in issue order, oldest at next once full
	next   int
	max    int
	seq    uint64        // issue number of the last key (persist.go)
	bucket *state.Bucket // keeps the keys across restarts
}

func newSessions(max int, bucket *state.Bucket) *sessions {
	return &sessions{byKey: map[string]identity{}, max: max, bucket: bucket}
}

// put remembers id for key, evicting the oldest key when full, and when
// save is set writes that to the state directory; Wait on the result.
func (s *sessions) put(key string, id identity, save bool) state.Pending {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	evicted := ""
	if _, ok := s.byKey[key]; !ok {
		if len(s.ring) < s.max {
			s.ring = append(s.ring, key)
		} else {
			evicted = s.ring[s.next]
			delete(s.byKey, evicted)
			s.ring[s.next] = key
			s.next = (s.next + 1) % s.max
		}
	}
	s.byKey[key] = id
	if !save {
		return state.Pending{}
	}
	return s.save(key, id, evicted)
}

// get returns the identity of an issued key.
func (s *sessions) get(key string) (identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byKey[key]
	return id, ok
}

// len is the number of remembered keys.
func (s *sessions) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byKey)
}
