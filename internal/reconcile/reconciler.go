// Package reconcile makes the container engine match the ECS store. It is
// level-based: every run reads the task or service as it is now, compares
// it with what the engine reports, takes the next step and says when to
// look again. Store changes and engine events wake it; a slow resync catches
// anything a missed event would leave behind.
package reconcile

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// Options configures the reconciler.
type Options struct {
	// StoppedTaskTTL is how long STOPPED tasks stay describable.
	StoppedTaskTTL time.Duration
	// KeepContainers leaves task containers running at shutdown.
	KeepContainers bool
	// AllowPrivileged and AllowHostMounts let task definitions use
	// privileged mode and host mounts; both are refused by default.
	AllowPrivileged bool
	AllowHostMounts bool
	// Scope is put on every container (LabelScope); the orphan sweep only
	// removes containers of its own scope. main uses the network name.
	Scope string
	// SettleTime is how long a RUNNING task without health checks runs
	// before it counts as healthy (default DefaultSettleTime, as ECS).
	SettleTime time.Duration
	// Resync is the period of the safety-net pass over every service
	// (default 30 s: store changes, engine events and target health wake
	// what they concern); tasks are looked at every taskResyncFactor
	// periods. Each pass is spread over its period (resync.go).
	Resync time.Duration
	// Workers is how many tasks and services are reconciled at once
	// (default DefaultWorkers).
	Workers int
	// Interfaces gives awsvpc tasks their network interfaces (EC2). Nil:
	// each task shows an interface ID derived from its task ID.
	Interfaces NetworkInterfaces
	// Logs is the awslogs log driver; nil leaves every container's logs
	// in the engine.
	Logs LogShipper
	// Secrets reads containers' secrets and environment files at task
	// start (SSM, Secrets Manager, S3). Nil: a task that has any fails to
	// start.
	Secrets SecretSource
	Logger  *slog.Logger
	Now     func() time.Time
}

// Reconciler drives tasks and services of every region.
type Reconciler struct {
	api           *ecsapi.API
	rt            runtime.Runtime
	opts          Options
	log           *slog.Logger
	now           func() time.Time
	queue         atomic.Pointer[Queue] // nil until Start
	hooks         []Hook
	healthSources []HealthSource
	oom           oomWitness
	batches       batchPacer
	ships         LogShipper // nil: logs stay in the engine
	// taskDNS are the resolvers of task containers (the emulator's DNS
	// server on the task network), empty for the engine's default.
	taskDNS []string
	taskEnv TaskEnvironment // see taskenv.go; nil: nothing beyond Fargate's basics
	swept   chan struct{}   // closed once the start-up sweep is done
	engine  engineMonitor   // engine outages (engine.go)
	adopt   adoption        // restored tasks not reconciled yet (adopt.go)
	// targetGroups are the services of each target group (targetgroups.go).
	targetGroups targetGroupServices
}

// SetTaskDNS sets the resolvers of task containers; call before Start.
func (r *Reconciler) SetTaskDNS(servers []string) { r.taskDNS = servers }

const (
	taskKeyPrefix    = "task|"
	serviceKeyPrefix = "service|"
)

// New returns a reconciler; call Run to start it. Wire OnChange of the ECS
// API to its Notify method.
func New(api *ecsapi.API, rt runtime.Runtime, opts Options) *Reconciler {
	if opts.Resync <= 0 {
		opts.Resync = DefaultResync
	}
	if opts.StoppedTaskTTL <= 0 {
		opts.StoppedTaskTTL = time.Hour
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Scope == "" {
		opts.Scope = "default"
	}
	return &Reconciler{api: api, rt: rt, opts: opts, log: opts.Logger, now: opts.Now, ships: opts.Logs, swept: make(chan struct{})}
}

// Notify wakes the reconciler for a store change. It never blocks; changes
// before Run starts are picked up by Run's first full pass.
func (r *Reconciler) Notify(c ecsapi.Change) {
	q := r.queue.Load()
	if q == nil {
		return
	}
	switch c.Kind {
	case ecsapi.ChangeTask:
		q.Enqueue(taskKeyPrefix + c.ARN)
	case ecsapi.ChangeService:
		// Every step of each of its tasks changes a service: a short
		// delay lets one pass see the steps of many.
		q.EnqueueAfter(serviceKeyPrefix+c.ARN, serviceCoalesce)
	}
}

// Start begins reconciling in the background until ctx ends; Shutdown then
// cleans up. It first removes the containers no task owns, and adopts
// those of the tasks the store has (restored from a state directory): they
// are reconciled from where they are, not started again.
func (r *Reconciler) Start(ctx context.Context) {
	r.startAdoption()
	r.queue.Store(NewQueue(ctx, r.opts.Workers, r.handle))
	go r.sweepOrphans(ctx)
	go r.watchEvents(ctx)
	go r.resyncLoop(ctx)
	go r.watchEngine(ctx)
}

func (r *Reconciler) handle(ctx context.Context, key string) time.Duration {
	select {
	case <-r.swept:
	case <-ctx.Done():
		return 0
	}
	switch {
	case strings.HasPrefix(key, taskKeyPrefix):
		defer r.adopted(key)
		return r.reconcileTask(ctx, strings.TrimPrefix(key, taskKeyPrefix))
	case strings.HasPrefix(key, serviceKeyPrefix):
		return r.reconcileService(ctx, strings.TrimPrefix(key, serviceKeyPrefix))
	}
	return 0
}

// store returns the store of the region named in an ARN.
func (r *Reconciler) store(arn string) *ecsapi.Store {
	parts := strings.SplitN(arn, ":", 5)
	region := "us-east-1"
	if len(parts) == 5 {
		region = parts[3]
	}
	return r.api.Store(region)
}

// watchEvents turns engine events into wake-ups of the task they concern,
// resubscribing when the stream breaks (the engine restarted, say).
func (r *Reconciler) watchEvents(ctx context.Context) {
	for first := true; ctx.Err() == nil; first = false {
		events, errs := r.rt.Events(ctx)
		if !first {
			r.enqueueTasks() // what happened while the stream was away
		}
		r.consumeEvents(ctx, events, errs)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (r *Reconciler) consumeEvents(ctx context.Context, events <-chan runtime.Event, errs <-chan error) {
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-errs:
			if err != nil && !errors.Is(err, context.Canceled) {
				r.log.Debug("engine event stream ended", "err", err)
			}
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if ev.Action == "oom" {
				r.oom.add(ev.ContainerID, r.now())
			}
			if arn := ev.Labels[runtime.LabelTaskARN]; arn != "" {
				r.queue.Load().Enqueue(taskKeyPrefix + arn)
			}
		}
	}
}

// Wait waits for running reconcile steps after ctx was cancelled.
func (r *Reconciler) Wait() {
	if q := r.queue.Load(); q != nil {
		q.Wait()
	}
}
