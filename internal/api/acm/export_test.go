package acm

import (
	"fmt"

	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

// CheckStored says whether the state directory holds exactly the records
// of what the API holds in memory.
func CheckStored(a *API) error {
	_, err := checkStored(a)
	return err
}

// CheckState is CheckStored and whether Restore into a new API gives the
// same records back.
func CheckState(a *API) error {
	want, err := checkStored(a)
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

func checkStored(a *API) (map[string]string, error) {
	want, err := a.records()
	if err != nil {
		return nil, err
	}
	got, err := statetest.Records(a.opts.State)
	if err != nil {
		return nil, err
	}
	return want, statetest.Same("stored", got, want)
}

// records encodes what every store holds as unlock would store it.
func (a *API) records() (map[string]string, error) {
	values := map[string]any{}
	for _, s := range a.stores.All() {
		s.mu.Lock()
		for arn := range s.certs {
			values[s.certKey(arn)], _ = s.storedValue(s.certKey(arn))
		}
		s.mu.Unlock()
	}
	return statetest.Encode(values)
}
