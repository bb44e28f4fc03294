package secretsmanager

import (
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

// CheckStored says whether the state directory holds exactly the records
// of what the API holds in memory.
func CheckStored(a *API) error {
	_, err := statetest.Stored(a.opts.State, a.records)
	return err
}

// CheckState is CheckStored and whether Restore into a new API gives the
// same records back.
func CheckState(a *API) error {
	return statetest.Restored(a.opts.State, a.records, func() (statetest.RecordsFunc, error) {
		b := New(a.opts)
		return b.records, b.Restore()
	})
}

// records encodes what every store holds as unlock would store it.
func (a *API) records() (map[string]string, error) {
	values := map[string]any{}
	for _, s := range a.stores.All() {
		s.mu.Lock()
		for name := range s.secrets {
			k := s.account + "/" + s.region + "/" + kindSecret + "/" + name
			values[k], _ = s.storedValue(k)
		}
		s.mu.Unlock()
	}
	return statetest.Encode(values)
}
