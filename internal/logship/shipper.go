package logship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// Engine is what the shipper needs from the container engine.
type Engine interface {
	InspectContainer(ctx context.Context, id string) (runtime.ContainerState, error)
	FollowLogs(ctx context.Context, id string, since time.Time) (runtime.LogReader, error)
}

// Sink is CloudWatch Logs in process (*logs.API).
type Sink interface {
	GroupExists(region, name string) bool
	CreateGroup(region, name string, retentionDays int32, tags map[string]string) error
	EnsureStream(region, group, stream string) error
	Append(region, group, stream string, events []logs.Event) error
	// LastEvent is the time of the newest event of a stream, if any.
	LastEvent(region, group, stream string) (time.Time, bool)
}

// Options configure New.
type Options struct {
	// Retry is the pause before following a container again after the
	// engine failed (default 1 s).
	Retry  time.Duration
	Logger *slog.Logger
}

// Shipper runs one follower per container it was asked to ship.
type Shipper struct {
	engine Engine
	sink   Sink
	opts   Options

	mu        sync.Mutex
	ctx       context.Context // set by Start; followers end with it
	followers map[string]*follower
	wg        sync.WaitGroup
}

// New returns a shipper; call Start before Ship.
func New(engine Engine, sink Sink, opts Options) *Shipper {
	if opts.Retry <= 0 {
		opts.Retry = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Shipper{engine: engine, sink: sink, opts: opts, followers: map[string]*follower{}}
}

// Start sets the context every follower runs under.
func (s *Shipper) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx = ctx
}

// Wait waits for the followers to end, after Start's context ended.
func (s *Shipper) Wait() { s.wg.Wait() }

// Prepare readies a container's log group before the container is
// created: it creates the group when awslogs-create-group asks for it, and
// otherwise fails as ECS does when the group does not exist.
func (s *Shipper) Prepare(a Awslogs) error {
	if s.sink.GroupExists(a.Region, a.Group) {
		return nil
	}
	if !a.CreateGroup {
		return createError("log stream", &types.ResourceNotFoundException{Message: ptr("The specified log group does not exist.")})
	}
	err := s.sink.CreateGroup(a.Region, a.Group, 0, nil)
	var exists *types.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) { // another task won the race
		return createError("log group", err)
	}
	return nil
}

// Ship makes sure a started container's output is being shipped to d and
// reports whether shipping is done: the container stopped (or vanished)
// and its output was read to the end. The first call creates the stream;
// its failure is the task's stoppedReason. Later calls only report.
func (s *Shipper) Ship(containerID string, d Destination) (done bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.followers[containerID]; f != nil {
		return f.finished(), nil
	}
	if s.ctx == nil {
		return false, fmt.Errorf("log shipper not started")
	}
	if err := s.sink.EnsureStream(d.Region, d.Group, d.Stream); err != nil {
		return false, createError("log stream", err)
	}
	f := newFollower(s, containerID, d)
	if last, ok := s.sink.LastEvent(d.Region, d.Group, d.Stream); ok {
		// The stream already has this container's output up to last: a
		// container adopted after a restart, followed again.
		f.resumeAfter(last)
	}
	s.followers[containerID] = f
	s.wg.Go(func() { f.run(s.ctx) })
	return false, nil
}

// Forget drops what is known about a container once it was removed.
func (s *Shipper) Forget(containerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.followers, containerID)
}

func ptr[T any](v T) *T { return &v }
