package sts

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"github.com/localaws/ecsemu/internal/state"
)

// Persistence. STS keeps one record per access key it issued,
// "session/<key>", with the identity the key stands for and its place in
// the issue order, so that credentials handed out before a restart (to
// running tasks, say) still say who they are after it. Issuing a key
// writes its record, and deletes the one of the key it evicts, before the
// credentials are returned. Keys are random: none comes back.

const kindSession = "session/"

type sessionJSON struct {
	Seq         uint64
	Account     string
	ARN         string
	UserID      string
	AssumedRole bool      `json:",omitempty"`
	Temporary   bool      `json:",omitempty"`
	Expires     time.Time `json:",omitzero"`
}

// save writes key's record and deletes evicted's ("" when none); the
// caller holds s.mu, which orders the writes.
func (s *sessions) save(key string, id identity, evicted string) state.Pending {
	batch := s.bucket.Batch()
	if evicted != "" {
		batch.Delete(kindSession + evicted)
	}
	batch.Put(kindSession+key, sessionJSON{Seq: s.seq, Account: id.account, ARN: id.arn, UserID: id.userID,
		AssumedRole: id.assumedRole, Temporary: id.temporary, Expires: id.expires})
	return batch.Commit()
}

// Restore loads the issued keys, oldest first, replacing what the API
// holds; beyond MaxSessions the oldest are forgotten, as they would have
// been.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	type loaded struct {
		key string
		v   sessionJSON
	}
	var all []loaded
	err := a.opts.State.LoadPrefix(kindSession, func(k string, value []byte) error {
		var v sessionJSON
		if err := json.Unmarshal(value, &v); err != nil {
			return err
		}
		all = append(all, loaded{k[len(kindSession):], v})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(x, y loaded) int { return cmp.Compare(x.v.Seq, y.v.Seq) })
	s := newSessions(a.opts.MaxSessions, a.opts.State)
	for _, l := range all {
		v := l.v
		s.seq = v.Seq - 1 // put counts it again
		s.put(l.key, identity{account: v.Account, arn: v.ARN, userID: v.UserID, assumedRole: v.AssumedRole,
			temporary: v.Temporary, expires: v.Expires}, false)
	}
	a.sessions = s
	return nil
}
