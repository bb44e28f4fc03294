package state

// Journal collects the keys of the records a service changed while holding
// its own lock, so that the service writes each record's current value once
// when it releases the lock, however many times the critical section changed
// it. Services mark a key where they change a record and need not build the
// stored value at every change.
//
// A Journal is not safe for concurrent use: the service's lock guards it.
// A Journal of a nil Bucket records nothing, so it costs nothing without a
// state directory.
type Journal struct {
	bucket *Bucket
	keys   []string
	seen   map[string]struct{}
}

// Journal returns an empty journal of b.
func (b *Bucket) Journal() *Journal { return &Journal{bucket: b} }

// Touch marks the record under key as changed (created, updated or
// deleted).
func (j *Journal) Touch(key string) {
	if j == nil || j.bucket == nil {
		return
	}
	if _, ok := j.seen[key]; ok {
		return
	}
	if j.seen == nil {
		j.seen = map[string]struct{}{}
	}
	j.seen[key] = struct{}{}
	j.keys = append(j.keys, key)
}

// Flush commits the current value of every touched record, in the order
// they were first touched; value returns false for a record that no longer
// exists, which deletes it. Call Flush before releasing the lock and Wait on
// the result after releasing it, before acknowledging the request.
func (j *Journal) Flush(value func(key string) (any, bool)) Pending {
	if j == nil || len(j.keys) == 0 {
		return Pending{}
	}
	batch := j.bucket.Batch()
	for _, k := range j.keys {
		if v, ok := value(k); ok {
			batch.Put(k, v)
		} else {
			batch.Delete(k)
		}
	}
	j.keys = j.keys[:0]
	clear(j.seen)
	return batch.Commit()
}

// Clear removes every record of b (a reset) and returns once that is
// stored.
func (b *Bucket) Clear() error {
	if b == nil {
		return nil
	}
	batch := b.Batch()
	batch.DeletePrefix("")
	return batch.Commit().Wait()
}
