package statetest

import (
	"fmt"

	"github.com/localaws/ecsemu/internal/state"
)

// RecordsFunc encodes what a service holds in memory as its records, as
// the service would store them.
type RecordsFunc func() (map[string]string, error)

// Stored says whether the bucket holds exactly the records of what the
// service holds, and returns those records.
func Stored(b *state.Bucket, records RecordsFunc) (map[string]string, error) {
	want, err := records()
	if err != nil {
		return nil, err
	}
	got, err := Records(b)
	if err != nil {
		return nil, err
	}
	return want, Same("stored", got, want)
}

// Restored is Stored, and whether a new service restored from the bucket
// (restore builds it and returns its records) gives the same records back.
func Restored(b *state.Bucket, records RecordsFunc, restore func() (RecordsFunc, error)) error {
	want, err := Stored(b, records)
	if err != nil {
		return err
	}
	again, err := restore()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	got, err := again()
	if err != nil {
		return err
	}
	return Same("restored", got, want)
}
