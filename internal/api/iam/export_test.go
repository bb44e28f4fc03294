package iam

import (
	"encoding/json"
	"fmt"

	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

// CheckState is CheckStored and whether Restore into a new API gives the
// same records back.
func CheckState(a *API) error {
	want, err := CheckStored(a)
	if err != nil {
		return err
	}
	b := New(a.opts)
	if err := b.Restore(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	again, err := b.records()
	if err != nil {
		return err
	}
	return statetest.Same("restored", again, want)
}

// CheckStored says whether the state directory holds exactly what the API
// holds in memory, record by record (a change that did not touch its
// record shows up here), and returns the records.
func CheckStored(a *API) (map[string]string, error) {
	want, err := a.records()
	if err != nil {
		return nil, err
	}
	got := map[string]string{}
	if err := a.opts.State.Load(func(k string, v []byte) error {
		got[k] = string(v)
		return nil
	}); err != nil {
		return nil, err
	}
	return want, statetest.Same("stored", got, want)
}

// records encodes every entity as unlock would store it, and checks the
// attachment counts Restore derives.
func (a *API) records() (map[string]string, error) {
	out := map[string]string{}
	for _, s := range a.stores() {
		s.mu.Lock()
		var keys []string
		add := func(kind, id string) { keys = append(keys, s.account+"/"+kind+"/"+id) }
		for id := range s.roles {
			add(kindRole, id)
		}
		for id := range s.users {
			add(kindUser, id)
		}
		for id := range s.policies {
			add(kindPolicy, id)
		}
		for id := range s.profiles {
			add(kindProfile, id)
		}
		for id := range s.accessKeys {
			add(kindAccessKey, id)
		}
		for id := range s.certs {
			add(kindCert, id)
		}
		for _, k := range keys {
			v, _ := s.storedValue(k)
			raw, err := json.Marshal(v)
			if err != nil {
				s.mu.Unlock()
				return nil, err
			}
			out[k] = string(raw)
		}
		counts := &Store{attachments: map[string]int{}, roles: s.roles, users: s.users}
		counts.countAttachments()
		for arn, n := range s.attachments {
			if n != counts.attachments[arn] {
				s.mu.Unlock()
				return nil, fmt.Errorf("attachments of %s: %d, counted %d", arn, n, counts.attachments[arn])
			}
		}
		s.mu.Unlock()
	}
	return out, nil
}
