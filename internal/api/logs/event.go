package logs

import (
	"cmp"
	"fmt"
	"slices"
)

// event is one stored log event. Events are values: a stream's slice is
// copied out under the lock and read outside it.
type event struct {
	ts     int64  // the event's timestamp, epoch ms
	ingest int64  // when it was accepted, epoch ms
	seq    uint64 // store-wide ingestion sequence: unique, increasing
	msg    string
	batch  uint64 // seq of the first event of its upload: its stored record
}

// key orders events within a stream and positions GetLogEvents tokens.
type key struct {
	ts  int64
	seq uint64
}

func (e event) key() key { return key{e.ts, e.seq} }

func compareKeys(a, b key) int {
	if c := cmp.Compare(a.ts, b.ts); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// eventID is the event's FilterLogEvents eventId: 56 digits, as AWS's,
// and stable, so that `aws logs tail --follow`, which drops IDs it has
// seen at the newest timestamp, neither repeats nor loses events.
func (e event) eventID() string {
	return fmt.Sprintf("%020d%036d", e.ts, e.seq)
}

// since returns the stream's events at or after a timestamp (a retention
// cutoff), sharing the stream's backing array: callers hold the lock.
func (st *stream) since(cutoff int64) []event {
	i, _ := slices.BinarySearchFunc(st.events, cutoff, func(e event, t int64) int { return cmp.Compare(e.ts, t) })
	return st.events[i:]
}

// insert adds events (sorted by timestamp, with increasing sequences) to
// the stream in key order, then enforces the retention cutoff and the
// stream's bounds by dropping its oldest events. It returns the uploads
// (batch) that lost events. Callers hold the lock.
func (st *stream) insert(batch []event, cutoff int64, maxEvents, maxBytes int) (dropped []uint64) {
	if len(batch) == 0 {
		return nil
	}
	for _, e := range batch {
		st.bytes += len(e.msg)
	}
	if n := len(st.events); n == 0 || st.events[n-1].ts <= batch[0].ts {
		st.events = append(st.events, batch...) // the usual case: in order
	} else {
		st.events = mergeEvents(st.events, batch)
	}
	drop := len(st.events) - len(st.since(cutoff))
	for _, e := range st.events[:drop] {
		st.bytes -= len(e.msg)
	}
	for drop < len(st.events) && (len(st.events)-drop > maxEvents || st.bytes > maxBytes) {
		st.bytes -= len(st.events[drop].msg)
		drop++
	}
	for _, e := range st.events[:drop] {
		if len(dropped) == 0 || dropped[len(dropped)-1] != e.batch {
			dropped = append(dropped, e.batch)
		}
	}
	st.dropOldest(drop)
	return dropped
}

// dropOldest removes the first n events. The dropped slots are cleared so
// that their messages can be collected; the next growth of the slice
// copies only live events, so the backing array stays within about twice
// the bound.
func (st *stream) dropOldest(n int) {
	clear(st.events[:n])
	st.events = st.events[n:]
}

// mergeEvents merges two key-sorted runs into a new slice.
func mergeEvents(a, b []event) []event {
	out := make([]event, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if compareKeys(a[i].key(), b[j].key()) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
