package sts

import (
	"sync"
	"time"
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
	mu    sync.Mutex
	byKey map[string]identity
	ring  []string // keys in issue order, oldest at next once full
	next  int
	max   int
}

func newSessions(max int) *sessions {
	return &sessions{byKey: map[string]identity{}, max: max}
}

// put remembers id for key, evicting the oldest key when full.
func (s *sessions) put(key string, id identity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byKey[key]; ok {
		s.byKey[key] = id
		return
	}
	if len(s.ring) < s.max {
		s.ring = append(s.ring, key)
	} else {
		delete(s.byKey, s.ring[s.next])
		s.ring[s.next] = key
		s.next = (s.next + 1) % s.max
	}
	s.byKey[key] = id
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
