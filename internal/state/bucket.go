package state

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Bucket is one service's part of the store: keys are the service's own
// (an ARN, "region/name", ...), values JSON. A nil *Bucket keeps nothing.
type Bucket struct {
	db   *DB
	name []byte
}

// Bucket is the part of the store owned by the named service.
func (db *DB) Bucket(service string) *Bucket {
	if db == nil {
		return nil
	}
	return &Bucket{db: db, name: []byte(service)}
}

// Enabled says whether writes are kept.
func (b *Bucket) Enabled() bool { return b != nil }

// Load calls fn for every record, in key order, before the service starts
// serving. A record fn cannot decode should make it return an error: the
// emulator then refuses to start rather than lose state silently.
func (b *Bucket) Load(fn func(key string, value []byte) error) (err error) {
	if b == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = damaged(b.db.Path(), fmt.Errorf("%v", r))
		}
	}()
	return b.db.bolt.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(b.name)
		if bk == nil {
			return nil
		}
		return bk.ForEach(func(k, v []byte) error {
			if err := fn(string(k), v); err != nil {
				return fmt.Errorf("state of %s, record %q: %w", b.name, k, err)
			}
			return nil
		})
	})
}

// LoadPrefix is Load restricted to the keys that start with prefix.
func (b *Bucket) LoadPrefix(prefix string, fn func(key string, value []byte) error) error {
	return b.Load(func(k string, v []byte) error {
		if !strings.HasPrefix(k, prefix) {
			return nil
		}
		return fn(k, v)
	})
}

// Batch starts a set of writes to commit together.
func (b *Bucket) Batch() *Batch { return &Batch{bucket: b} }

// Batch collects puts and deletes of one bucket. Put marshals its value at
// once, so the caller may change the value after Put returns. A Batch of a
// nil Bucket records nothing.
type Batch struct {
	bucket *Bucket
	ops    []op
	err    error
	result chan error
}

type op struct {
	key    string
	value  []byte // nil: delete
	prefix bool   // delete every key with this prefix
}

// Put stores v (as JSON) under key.
func (t *Batch) Put(key string, v any) {
	if t.bucket == nil {
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.err = fmt.Errorf("encode %s/%s: %w", t.bucket.name, key, err)
		return
	}
	t.ops = append(t.ops, op{key: key, value: raw})
}

// PutRaw stores value, already encoded, under key.
func (t *Batch) PutRaw(key string, value []byte) {
	if t.bucket == nil {
		return
	}
	t.ops = append(t.ops, op{key: key, value: append([]byte{}, value...)})
}

// Delete removes key.
func (t *Batch) Delete(key string) {
	if t.bucket == nil {
		return
	}
	t.ops = append(t.ops, op{key: key})
}

// DeletePrefix removes every key that starts with prefix ("" empties the
// bucket, as a reset does).
func (t *Batch) DeletePrefix(prefix string) {
	if t.bucket == nil {
		return
	}
	t.ops = append(t.ops, op{key: prefix, prefix: true})
}

// Empty says whether the batch has nothing to write.
func (t *Batch) Empty() bool { return len(t.ops) == 0 && t.err == nil }

// Commit hands the batch to the writer and returns at once; Wait on the
// result before acknowledging the request. Call Commit while still holding
// the lock under which the writes were made, so that batches reach the
// store in the order the service made them.
func (t *Batch) Commit() Pending {
	if t.bucket == nil || t.Empty() {
		return Pending{}
	}
	t.result = make(chan error, 1)
	if t.err != nil {
		t.result <- t.err
		t.bucket.db.failed(t.err)
		return Pending{ch: t.result}
	}
	if !t.bucket.db.enqueue(t) {
		t.result <- ErrClosed
	}
	return Pending{ch: t.result}
}

// Pending is a committed batch on its way to the disk.
type Pending struct{ ch chan error }

// Wait returns once the batch is stored (or failed to be: the error is also
// logged and reported by the health endpoint).
func (p Pending) Wait() error {
	if p.ch == nil {
		return nil
	}
	err := <-p.ch
	p.ch <- err // a second Wait sees the same answer
	return err
}
