package logs

import (
	"cmp"
	"slices"
	"time"
)

// Event is a log event handed over in process (by the awslogs log driver).
type Event struct {
	Timestamp time.Time // the zero time means now
	Message   string
}

// CreateGroup is CloudFormation's AWS::Logs::LogGroup create: a log group
// of Options.Account in a region, with an optional retention (0 = never
// expire) and tags. It fails as CreateLogGroup does: the SDK's
// *types.ResourceAlreadyExistsException, *types.InvalidParameterException
// or *types.LimitExceededException.
func (a *API) CreateGroup(region, name string, retentionDays int32, tags map[string]string) error {
	if err := checkGroupName(&name, "logGroupName"); err != nil {
		return err
	}
	if retentionDays != 0 && !validRetention(retentionDays) {
		return errRetention(retentionDays)
	}
	if len(tags) == 0 {
		tags = nil
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	return a.Store(region).createGroup(name, groupSettings{retention: retentionDays, tags: tags})
}

// DeleteGroup deletes a log group with its streams; a missing group is
// *types.ResourceNotFoundException.
func (a *API) DeleteGroup(region, name string) error {
	return a.Store(region).deleteGroup(name)
}

// GroupExists says whether a log group exists.
func (a *API) GroupExists(region, name string) bool {
	s := a.Store(region)
	s.mu.Lock()
	defer s.unlock()
	return s.groups[name] != nil
}

// EnsureStream creates a log stream unless it exists. The group must
// exist (*types.ResourceNotFoundException otherwise); a bad stream name is
// *types.InvalidParameterException.
func (a *API) EnsureStream(region, group, stream string) error {
	if err := checkStreamName(&stream, "logStreamName"); err != nil {
		return err
	}
	s := a.Store(region)
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(group)
	if err != nil {
		return err
	}
	if g.streams[stream] != nil {
		return nil
	}
	return s.addStream(g, stream)
}

// Append stores events in an existing stream (ResourceNotFoundException
// otherwise). Unlike PutLogEvents it takes events in any order and of any
// age and never rejects any: they are sorted, empty messages (which
// PutLogEvents refuses) are skipped, and the stream's bounds drop its
// oldest events. It holds the store's lock only to insert, so it is cheap
// for many concurrent callers.
func (a *API) Append(region, group, stream string, events []Event) error {
	s := a.Store(region)
	now := s.opts.Now()
	batch := make([]event, 0, len(events))
	for _, e := range events {
		if e.Message == "" {
			continue
		}
		ts := e.Timestamp
		if ts.IsZero() {
			ts = now
		}
		batch = append(batch, event{ts: max(ts.UnixMilli(), 0), msg: e.Message})
	}
	slices.SortStableFunc(batch, func(x, y event) int { return cmp.Compare(x.ts, y.ts) })
	s.mu.Lock()
	defer s.unlock()
	g, st, err := s.stream(group, stream)
	if err != nil {
		return err
	}
	if len(batch) > 0 {
		s.ingest(g, st, batch)
	}
	return nil
}
