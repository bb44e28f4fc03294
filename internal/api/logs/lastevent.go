package logs

import "time"

// LastEvent is the time of the newest event in a stream (false when the
// stream is missing or empty). The awslogs driver resumes after it when it
// follows a container again after a restart, so nothing is shipped twice.
func (a *API) LastEvent(region, group, stream string) (time.Time, bool) {
	s := a.Store(region)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, st, err := s.stream(group, stream)
	if err != nil || len(st.events) == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(st.events[len(st.events)-1].ts), true
}
