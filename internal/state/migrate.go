package state

import bolt "go.etcd.io/bbolt"

// migrate brings a file written at schema version from up to SchemaVersion,
// inside the opening transaction. Version 1 is the first layout, so there
// is nothing to do yet; a future version adds its step here.
func migrate(tx *bolt.Tx, from int) error {
	_ = tx
	_ = from
	return nil
}
