package s3

import (
	"github.com/johannesboyne/gofakes3"

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

// records encodes what the API holds as it would store it.
func (a *API) records() (map[string]string, error) {
	out := map[string]string{}
	a.reg.mu.Lock()
	var names []string
	for name := range a.reg.buckets {
		names = append(names, name)
	}
	values := map[string]any{}
	for _, name := range names {
		b := a.reg.buckets[name]
		v, _ := a.backend.Backend.VersioningConfiguration(name)
		values[kindBucket+name] = bucketJSON{Account: b.account, Region: b.region, Created: b.created, Policy: b.policy,
			Encryption: b.encryption, Tags: b.tags, Seeded: b.seeded, Versioning: v.Status}
	}
	a.reg.mu.Unlock()
	a.seedMu.Lock()
	for k := range a.seeded {
		values[kindSeeded+k] = true
	}
	a.seedMu.Unlock()
	enc, err := statetest.Encode(values)
	if err != nil {
		return nil, err
	}
	for k, v := range enc {
		out[k] = v
	}
	a.backend.objMu.Lock()
	defer a.backend.objMu.Unlock()
	for _, name := range names {
		list, err := a.backend.Backend.ListBucket(name, &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
		if err != nil {
			return nil, err
		}
		for _, c := range list.Contents {
			raw, ok, err := a.backend.objectRecord(name, c.Key)
			if err != nil {
				return nil, err
			}
			if ok {
				out[kindObject+name+"/"+c.Key] = string(raw)
			}
		}
	}
	return out, nil
}
