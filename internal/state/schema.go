package state

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// checkSchema stamps a new file with SchemaVersion, migrates an older one
// and refuses a newer one.
func checkSchema(b *bolt.DB, path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = damaged(path, fmt.Errorf("%v", r))
		}
	}()
	return b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return damaged(path, err)
		}
		raw := meta.Get(schemaKey)
		if raw == nil {
			if hasServiceBuckets(tx) {
				return damaged(path, fmt.Errorf("no schema version recorded"))
			}
			return meta.Put(schemaKey, []byte(strconv.Itoa(SchemaVersion)))
		}
		v, err := strconv.Atoi(string(raw))
		if err != nil || v < 1 {
			return damaged(path, fmt.Errorf("schema version %q", raw))
		}
		if v > SchemaVersion {
			return fmt.Errorf("state file %s was written by a newer emulator (schema %d; this one reads up to %d): upgrade the emulator or choose another --state-dir", path, v, SchemaVersion)
		}
		if err := migrate(tx, v); err != nil {
			return fmt.Errorf("state file %s: migrating from schema %d: %w", path, v, err)
		}
		return meta.Put(schemaKey, []byte(strconv.Itoa(SchemaVersion)))
	})
}

func hasServiceBuckets(tx *bolt.Tx) bool {
	found := false
	_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if string(name) != string(metaBucket) {
			found = true
		}
		return nil
	})
	return found
}
