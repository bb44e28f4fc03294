package logs

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Persistence. A region keeps, under "<account>/<region>/":
//
//   - "group/<group>": a log group's settings and tags;
//   - "stream/<group>:<stream>": a stream's creation time, last upload and
//     upload count (its sequence tokens);
//   - "events/<group>:<stream>:<batch>": the events of one accepted upload
//     (PutLogEvents or Append) still kept, the batch named by the ingestion
//     sequence number of its first event;
//   - "meta": the region's last ingestion sequence number, so that event
//     IDs are not reused after a restart.
//
// Events are stored one record per upload, not per stream: an upload then
// writes its own events once (plus the small stream and meta records)
// instead of rewriting a stream of up to 8 MiB, and the oldest events a
// stream drops at its bounds rewrite or delete only the uploads they came
// in. Names cannot clash with the separator: group names have no ':' and
// stream names neither.
//
// Changes are marked with touch under the store's lock; unlock writes them
// and waits for the store before the operation answers.

const (
	kindGroup  = "group"
	kindStream = "stream"
	kindEvents = "events"
	metaKey    = "meta"
)

type groupJSON struct {
	Name      string
	Created   int64
	Retention int32               `json:",omitempty"`
	KMSKeyID  string              `json:",omitempty"`
	Class     types.LogGroupClass `json:",omitempty"`
	Tags      map[string]string   `json:",omitempty"`
}

type streamJSON struct {
	Name       string
	Created    int64
	LastIngest int64  `json:",omitempty"`
	Uploads    uint64 `json:",omitempty"`
}

type eventsJSON struct {
	Ingest int64
	Events []eventJSON
}

type eventJSON struct {
	T int64  // timestamp, epoch ms
	S uint64 // ingestion sequence
	M string // message
}

type metaJSON struct{ Seq uint64 }

func (s *Store) prefix() string { return s.account + "/" + s.region + "/" }

func (s *Store) touchGroup(g string) { s.journal.Touch(s.prefix() + kindGroup + "/" + g) }

func (s *Store) touchStream(g, st string) {
	s.journal.Touch(s.prefix() + kindStream + "/" + g + ":" + st)
}

func (s *Store) touchBatch(g, st string, batch uint64) {
	s.journal.Touch(s.prefix() + kindEvents + "/" + g + ":" + st + ":" + strconv.FormatUint(batch, 10))
}

func (s *Store) touchMeta() { s.journal.Touch(s.prefix() + metaKey) }

// touchStreamAll marks a stream and every batch of its events, as deleting
// the stream (or its group) changes them all.
func (s *Store) touchStreamAll(g string, st *stream) {
	s.touchStream(g, st.name)
	var last uint64
	for _, e := range st.events {
		if e.batch != last {
			s.touchBatch(g, st.name, e.batch)
			last = e.batch
		}
	}
}

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		slog.Default().Error("logs: state not saved", "region", s.region, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(key string) (any, bool) {
	kind, id, _ := strings.Cut(strings.TrimPrefix(key, s.prefix()), "/")
	switch kind {
	case metaKey:
		return metaJSON{Seq: s.seq}, true
	case kindGroup:
		g := s.groups[id]
		if g == nil {
			return nil, false
		}
		return groupJSON{Name: g.name, Created: g.created, Retention: g.retention, KMSKeyID: g.kmsKeyID, Class: g.class, Tags: g.tags}, true
	case kindStream:
		gn, sn, _ := strings.Cut(id, ":")
		if g := s.groups[gn]; g != nil && g.streams[sn] != nil {
			st := g.streams[sn]
			return streamJSON{Name: st.name, Created: st.created, LastIngest: st.lastIngest, Uploads: st.uploads}, true
		}
	case kindEvents:
		gn, rest, _ := strings.Cut(id, ":")
		i := strings.LastIndexByte(rest, ':')
		batch, _ := strconv.ParseUint(rest[i+1:], 10, 64)
		if g := s.groups[gn]; g != nil && g.streams[rest[:i]] != nil {
			return batchValue(g.streams[rest[:i]], batch)
		}
	}
	return nil, false
}

// batchValue is what a stream still keeps of one upload, false when it
// keeps nothing.
func batchValue(st *stream, batch uint64) (any, bool) {
	var out eventsJSON
	for _, e := range st.events {
		if e.batch == batch {
			out.Ingest = e.ingest
			out.Events = append(out.Events, eventJSON{T: e.ts, S: e.seq, M: e.msg})
		}
	}
	return out, len(out.Events) > 0
}

// Restore loads every region's groups, streams and events, replacing what
// the API holds.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.stores.Reset()
	type streamRecord struct {
		s          *Store
		group, str string
		value      streamJSON
	}
	type batchRecord struct {
		s          *Store
		group, str string
		batch      uint64
		value      eventsJSON
	}
	var streams []streamRecord
	var batches []batchRecord
	err := a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) < 3 {
			return fmt.Errorf("unexpected key")
		}
		s := a.stores.Get(parts[0], parts[1])
		if parts[2] == metaKey {
			var m metaJSON
			if err := json.Unmarshal(value, &m); err != nil {
				return err
			}
			s.seq = m.Seq
			return nil
		}
		if len(parts) != 4 {
			return fmt.Errorf("unexpected key")
		}
		gn, rest, _ := strings.Cut(parts[3], ":")
		switch parts[2] {
		case kindGroup:
			var g groupJSON
			if err := json.Unmarshal(value, &g); err != nil {
				return err
			}
			tags := g.Tags
			if tags == nil {
				tags = map[string]string{}
			}
			s.groups[gn] = &group{name: g.Name, created: g.Created, retention: g.Retention, kmsKeyID: g.KMSKeyID, class: g.Class,
				tags: tags, streams: map[string]*stream{}}
		case kindStream:
			var st streamJSON
			if err := json.Unmarshal(value, &st); err != nil {
				return err
			}
			streams = append(streams, streamRecord{s: s, group: gn, str: rest, value: st})
		case kindEvents:
			i := strings.LastIndexByte(rest, ':')
			if i < 0 {
				return fmt.Errorf("unexpected key")
			}
			b := batchRecord{s: s, group: gn, str: rest[:i]}
			var err error
			if b.batch, err = strconv.ParseUint(rest[i+1:], 10, 64); err != nil {
				return err
			}
			if err := json.Unmarshal(value, &b.value); err != nil {
				return err
			}
			batches = append(batches, b)
		default:
			return fmt.Errorf("unexpected key")
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Streams and events come before their groups in key order.
	for _, r := range streams {
		g := r.s.groups[r.group]
		if g == nil {
			return fmt.Errorf("stream %s:%s without its group", r.group, r.str)
		}
		v := r.value
		g.streams[r.str] = &stream{name: v.Name, created: v.Created, lastIngest: v.LastIngest, uploads: v.Uploads}
		r.s.streams++
	}
	touched := map[*stream]bool{}
	for _, b := range batches {
		g := b.s.groups[b.group]
		if g == nil || g.streams[b.str] == nil {
			return fmt.Errorf("events of %s:%s without their stream", b.group, b.str)
		}
		st := g.streams[b.str]
		for _, e := range b.value.Events {
			st.events = append(st.events, event{ts: e.T, ingest: b.value.Ingest, seq: e.S, msg: e.M, batch: b.batch})
			st.bytes += len(e.M)
		}
		touched[st] = true
	}
	for st := range touched {
		slices.SortFunc(st.events, func(x, y event) int { return compareKeys(x.key(), y.key()) })
	}
	return nil
}
