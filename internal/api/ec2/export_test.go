package ec2

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
	err = a.opts.State.LoadPrefix(a.opts.Account+"/", func(k string, v []byte) error {
		got[k] = string(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return want, statetest.Same("stored", got, want)
}

// records encodes every record of every region as unlock would store it.
func (a *API) records() (map[string]string, error) {
	a.mu.Lock()
	stores := make([]*Store, 0, len(a.regions))
	for _, s := range a.regions {
		stores = append(stores, s)
	}
	a.mu.Unlock()
	out := map[string]string{}
	for _, s := range stores {
		s.lock()
		s.unlock() // store what time has changed
		s.mu.Lock()
		ids := map[string]bool{}
		for id := range s.seq {
			ids[id] = true
		}
		for id := range s.tags {
			ids[id] = true
		}
		add := func(id string) { ids[id] = true }
		for id := range s.vpcs {
			add(id)
		}
		for id := range s.subnets {
			add(id)
		}
		for id := range s.groups {
			add(id)
		}
		for id := range s.igws {
			add(id)
		}
		for id := range s.rtbs {
			add(id)
		}
		for id := range s.nats {
			add(id)
		}
		for id := range s.eips {
			add(id)
		}
		for id := range s.endpoints {
			add(id)
		}
		for id := range s.enis {
			add(id)
		}
		for id := range s.instances {
			add(id)
		}
		for _, k := range s.keys {
			add(*k.KeyPairId)
		}
		keys := []string{s.regionPrefix() + metaKey}
		for id := range ids {
			keys = append(keys, s.regionPrefix()+idPrefix(id)+"/"+id)
		}
		for _, k := range keys {
			v, ok := s.storedValue(k)
			if !ok {
				continue
			}
			raw, err := json.Marshal(v)
			if err != nil {
				s.mu.Unlock()
				return nil, err
			}
			out[k] = string(raw)
		}
		s.mu.Unlock()
	}
	return out, nil
}
