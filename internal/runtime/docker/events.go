package docker

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Attributes the engine adds to a container event next to the container's
// labels; they are not labels, so they are dropped.
var engineEventAttrs = []string{"image", "name", "exitCode", "signal", "execID"}

var errStreamEnded = errors.New("event stream ended")

// Events streams events of managed containers until ctx ends; then both
// channels are closed. If the stream breaks (engine restart, engine down)
// the error channel yields one error first; callers resubscribe and
// reconcile, since events may have been missed meanwhile.
//
// Only opening the stream is bounded by CallTimeout; once open it stays
// open for as long as the caller listens.
func (r *Runtime) Events(ctx context.Context) (<-chan runtime.Event, <-chan error) {
	out := make(chan runtime.Event)
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		defer close(out)
		if err := r.streamEvents(ctx, out); err != nil {
			errc <- err
		}
	}()
	return out, errc
}

func (r *Runtime) streamEvents(ctx context.Context, out chan<- runtime.Event) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The client returns once the engine has answered the request; a hung
	// engine would hold it forever, so give up after CallTimeout.
	connecting := time.AfterFunc(r.opts.CallTimeout, cancel)
	res := r.cli.Events(ctx, client.EventsListOptions{
		Filters: make(client.Filters).
			Add("type", string(events.ContainerEventType)).
			Add("label", runtime.LabelManaged+"=true"),
	})
	if !connecting.Stop() && ctx.Err() != nil {
		return r.wrap("container events", "", context.DeadlineExceeded)
	}
	return r.forwardEvents(ctx, res, out)
}

// forwardEvents converts messages until ctx ends (nil) or the stream
// breaks (the error).
func (r *Runtime) forwardEvents(ctx context.Context, res client.EventsResult, out chan<- runtime.Event) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-res.Err:
			if ctx.Err() != nil {
				return nil // our own cancellation, not a broken stream
			}
			if err == nil {
				err = errStreamEnded
			}
			r.log.WarnContext(ctx, "event stream broke", "op", "events", "err", err)
			return r.wrap("container events", "", err)
		case m := <-res.Messages:
			ev, ok := toEvent(m)
			if !ok {
				continue
			}
			ev = r.eventLabels(ev)
			select {
			case out <- ev:
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// toEvent converts an engine message. exec_* events are dropped: a health
// check produces three of them per probe and nobody reconciles on them.
// Health events keep the engine's action, "health_status: healthy".
func toEvent(m events.Message) (runtime.Event, bool) {
	action := string(m.Action)
	if m.Type != events.ContainerEventType || strings.HasPrefix(action, "exec_") {
		return runtime.Event{}, false
	}
	labels := make(map[string]string, len(m.Actor.Attributes))
	for k, v := range m.Actor.Attributes {
		labels[k] = v
	}
	for _, k := range engineEventAttrs {
		delete(labels, k)
	}
	return runtime.Event{ContainerID: m.Actor.ID, Action: action, Labels: labels}, true
}
