package ecs

import (
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/state"
)

// Task is a task as the store keeps it: the wire view plus what the
// reconciler needs to drive its containers.
type Task struct {
	types.Task
	ServiceARN string // "" for tasks started by RunTask
	// Definition is the task definition the task was launched from, with
	// overrides not yet applied (see Overrides on the wire view).
	Definition types.TaskDefinition
	// SandboxID is the engine ID of the container owning the task's network.
	SandboxID string
	// ContainerIDs maps container name to engine container ID.
	ContainerIDs map[string]string
	// ServiceRegistries and LoadBalancers are the service's settings when
	// the task was launched: where to register it while it runs.
	ServiceRegistries []types.ServiceRegistry
	LoadBalancers     []types.LoadBalancer
	// SecurityGroups are the awsvpc security groups of the task's network
	// interface (the wire view does not show them).
	SecurityGroups []string
}

// Service is a service as the store keeps it.
type Service struct {
	types.Service
	ClientToken string
	// Steady is true once "has reached a steady state." was reported and
	// nothing has changed since.
	Steady bool
	// LaunchFailures and NextLaunchAt throttle a service whose tasks keep
	// failing, so a broken image is retried, not hot-looped.
	LaunchFailures int
	NextLaunchAt   time.Time
	// Stalled is true once the "unable to stop or start tasks" event was
	// reported for the current deployment.
	Stalled bool
	// RollingBackFrom is the deployment the circuit breaker failed while
	// the service rolls back from it ("" otherwise).
	RollingBackFrom string
	// History lists the service deployments, oldest first.
	History []ServiceDeploymentRecord
	// wire is the encoded view (servicewire.go); nil until read, and
	// again once the record is touched.
	wire *serviceWire
}

// ChangeKind names what changed in the store.
type ChangeKind int

const (
	ChangeTask ChangeKind = iota
	ChangeService
	ChangeCluster
)

// Change tells the reconciler which object to look at again.
type Change struct {
	Kind ChangeKind
	ARN  string
}

type family struct {
	revisions []*types.TaskDefinition // index = revision-1
}

// Store holds the ECS state of one region. It has one lock; every read
// returns copies, so callers never share memory with it.
type Store struct {
	region, account string
	now             func() time.Time
	ids             IDs
	onChange        func(Change)
	targetGroups    TargetGroupLookup
	network         NetworkLookup
	subnetZone      func(region, subnetID string) string
	quotas          Quotas

	mu        sync.Mutex
	journal   *state.Journal // records changed under the lock (persist.go)
	pending   []Change
	clusters  map[string]*types.Cluster // by name, INACTIVE ones included
	families  map[string]*family
	services  map[string]*Service // by ARN, INACTIVE ones included
	tasks     map[string]*Task    // by ARN, STOPPED ones until they expire
	byService taskIndex           // the same tasks by service ARN (taskindex.go)
	byGroup   taskIndex           // and by group
	tags      map[string][]types.Tag
	settings  accountSettings
	runTokens map[string]runToken
	providers map[string]*types.CapacityProvider // custom capacity providers by name, INACTIVE ones included
}

// runToken remembers a RunTask clientToken for idempotency.
type runToken struct {
	request string // canonical request, to detect reuse with other params
	tasks   []string
}

func newStore(region, account string, now func() time.Time, ids IDs, onChange func(Change)) *Store {
	return &Store{
		region: region, account: account, now: now, ids: ids, onChange: onChange,
		clusters:  map[string]*types.Cluster{},
		families:  map[string]*family{},
		services:  map[string]*Service{},
		tasks:     map[string]*Task{},
		byService: taskIndex{},
		byGroup:   taskIndex{},
		tags:      map[string][]types.Tag{},
		settings:  newAccountSettings(),
		runTokens: map[string]runToken{},
		providers: map[string]*types.CapacityProvider{},
	}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// lock takes the store lock; the returned function writes the records
// changed under it to the state directory, releases it, tells the
// reconciler what changed (never while holding the lock) and waits for the
// writes to be stored.
func (s *Store) lock() (unlock func()) {
	s.mu.Lock()
	return func() {
		changes := s.pending
		s.pending = nil
		stored := s.journal.Flush(s.record)
		s.mu.Unlock()
		if s.onChange != nil {
			for _, c := range changes {
				s.onChange(c)
			}
		}
		// The request is acknowledged only once its writes are on disk. A
		// failed write is logged and shown by the health endpoint.
		_ = stored.Wait()
	}
}

// changed records a change to announce after the lock is released.
func (s *Store) changed(kind ChangeKind, arn string) {
	s.pending = append(s.pending, Change{Kind: kind, ARN: arn})
	s.touchChange(kind, arn)
}

// timestamp is the store's notion of now, at the millisecond precision the
// wire format carries.
func (s *Store) timestamp() *time.Time {
	t := s.now().Truncate(time.Millisecond)
	return &t
}
