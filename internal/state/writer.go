package state

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds how many batches one transaction carries.
const maxGroup = 512

// write is the single writer: it takes every batch waiting, writes them in
// order in one transaction and tells each its result. Grouping is what
// keeps concurrent writers from paying one commit each.
func (db *DB) write() {
	defer close(db.done)
	for first := range db.queue {
		group := []*Batch{first}
	more:
		for len(group) < maxGroup {
			select {
			case t, ok := <-db.queue:
				if !ok {
					break more
				}
				group = append(group, t)
			default:
				break more
			}
		}
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			for _, t := range group {
				if err := apply(tx, t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			db.failed(err)
		}
		for _, t := range group {
			t.result <- err
		}
	}
}

// apply writes one batch's operations.
func apply(tx *bolt.Tx, t *Batch) error {
	bk, err := tx.CreateBucketIfNotExists(t.bucket.name)
	if err != nil {
		return err
	}
	for _, o := range t.ops {
		switch {
		case o.prefix:
			if err := deletePrefix(bk, []byte(o.key)); err != nil {
				return err
			}
		case o.value == nil:
			if err := bk.Delete([]byte(o.key)); err != nil {
				return err
			}
		default:
			if err := bk.Put([]byte(o.key), o.value); err != nil {
				return err
			}
		}
	}
	return nil
}

func deletePrefix(bk *bolt.Bucket, prefix []byte) error {
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
