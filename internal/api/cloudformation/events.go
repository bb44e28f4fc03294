package cloudformation

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// record appends ev to the stack's events (the caller holds the store's
// lock). Timestamps go on the wire with millisecond precision, and the CDK
// CLI orders the events it prints by timestamp alone: an event that would
// carry the same millisecond as the one before it, or an earlier one, is
// moved one millisecond after it, so that the stack's events keep the
// order in which they happened.
func (s *stack) record(ev types.StackEvent) {
	at := ev.Timestamp.Truncate(time.Millisecond)
	if n := len(s.events); n > 0 {
		if last := s.events[n-1].Timestamp; last != nil && !at.After(*last) {
			at = last.Add(time.Millisecond)
		}
	}
	ev.Timestamp = &at
	s.events = append(s.events, ev)
}
