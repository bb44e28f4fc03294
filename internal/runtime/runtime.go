// Package runtime describes what the reconciler needs from a container
// engine. The Docker implementation lives in internal/runtime/docker; tests
// of scheduling logic use a fake. Nothing here knows about AWS wire formats.
package runtime

import (
	"context"
	"errors"
	"io"
	"time"
)

// Labels put on every container the emulator starts. They are the durable
// link between a task and its containers: after a restart the emulator finds
// its containers by these labels alone. The com.amazonaws.ecs.* keys are the
// ones the real ECS agent uses, so existing tooling that filters on them works.
const (
	LabelManaged        = "ecs-emulator.managed" // always "true"
	LabelRole           = "ecs-emulator.role"    // RoleSandbox or RoleContainer
	LabelTaskARN        = "com.amazonaws.ecs.task-arn"
	LabelCluster        = "com.amazonaws.ecs.cluster"
	LabelContainerName  = "com.amazonaws.ecs.container-name"
	LabelTaskDefFamily  = "com.amazonaws.ecs.task-definition-family"
	LabelTaskDefVersion = "com.amazonaws.ecs.task-definition-version"
	LabelServiceName    = "ecs-emulator.service-name"
	LabelRegion         = "ecs-emulator.region"
	// LabelScope names the emulator instance (its task network), so that
	// two emulators sharing an engine never remove each other's containers.
	LabelScope    = "ecs-emulator.scope"
	RoleSandbox   = "sandbox"
	RoleContainer = "container"
)

// ErrNotFound is returned (wrapped) when a container does not exist.
var ErrNotFound = errors.New("container not found")

// ErrEngineUnavailable is returned (wrapped) when the engine cannot be reached.
var ErrEngineUnavailable = errors.New("container engine unavailable")

// EngineInfo describes the engine the runtime talks to.
type EngineInfo struct {
	Endpoint   string // e.g. unix:///var/run/docker.sock
	Version    string // engine version, e.g. 20.10.24
	APIVersion string // negotiated API version, e.g. 1.41
}

// SandboxSpec describes the network-namespace owner of one task. On Fargate
// every container of a task shares one network namespace (awsvpc), so
// containers reach each other on localhost; the sandbox plays that part.
type SandboxSpec struct {
	Name   string            // deterministic container name
	Labels map[string]string // includes LabelRole=RoleSandbox
	// DNS servers the task's containers use; empty means the engine default.
	DNS []string
	// Hostname of the task (containers that join a namespace share it).
	Hostname string
	// ExtraHosts are /etc/hosts entries ("name:address") of the task's
	// containers, which share the sandbox's hosts file.
	ExtraHosts []string
}

// Sandbox is a running network-namespace owner with its own IP address.
type Sandbox struct {
	ID         string
	IP         string // the task's private IPv4 address
	MACAddress string
	Gateway    string
	Network    string // engine network name
}

// Ulimit is one resource limit of a container.
type Ulimit struct {
	Name       string // e.g. "nofile"
	Soft, Hard int64
}

// HealthCheck is a container health check in engine terms. Test keeps the
// ECS form: ["CMD", "/app", "healthcheck"] or ["CMD-SHELL", "curl ..."].
type HealthCheck struct {
	Test        []string
	Interval    time.Duration
	Timeout     time.Duration
	StartPeriod time.Duration
	Retries     int
}

// ContainerSpec is everything needed to create one task container.
type ContainerSpec struct {
	Name       string // deterministic container name
	Image      string
	Labels     map[string]string // includes LabelRole=RoleContainer
	SandboxID  string            // join this sandbox's network namespace
	Entrypoint []string          // nil keeps the image's
	Command    []string          // nil keeps the image's
	Env        []string          // "KEY=value"
	WorkingDir string
	User       string
	// CPUShares is the container's cpu units (1024 = one vCPU); 0 = unset.
	CPUShares int64
	// MemoryBytes is the hard limit (ECS memory); 0 = none.
	MemoryBytes int64
	// MemoryReservationBytes is the soft limit (ECS memoryReservation).
	MemoryReservationBytes int64
	Ulimits                []Ulimit
	// StopTimeout is how long a stop waits after SIGTERM before SIGKILL.
	StopTimeout    time.Duration
	HealthCheck    *HealthCheck
	Privileged     bool
	ReadonlyRootfs bool
	// Init runs an init process as PID 1 (ECS initProcessEnabled).
	Init bool
	// CapAdd and CapDrop are Linux capabilities ("SYS_PTRACE", "ALL").
	CapAdd, CapDrop []string
	// Binds are host mounts "host:container[:ro]"; only passed when the
	// operator opted in to host mounts.
	Binds []string
}

// Health values reported by the engine (Docker's words).
const (
	HealthNone      = ""
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// ContainerState is what the engine reports about one container.
type ContainerState struct {
	ID         string
	Name       string
	Image      string
	Labels     map[string]string
	Status     string // created, running, exited, dead, ...
	Running    bool
	ExitCode   int
	OOMKilled  bool
	Error      string // the engine's start error, if any
	StartedAt  time.Time
	FinishedAt time.Time
	Health     string // one of the Health* constants
}

// Exited reports whether the container ran and is no longer running.
func (s ContainerState) Exited() bool {
	return !s.Running && (s.Status == "exited" || s.Status == "dead")
}

// Event is a container event from the engine (start, die, oom,
// health_status, destroy, ...), for containers carrying LabelManaged.
type Event struct {
	ContainerID string
	Action      string
	Labels      map[string]string
}

// Runtime is the container engine as the reconciler uses it. Every method
// must honour ctx; implementations put their own timeouts on engine calls.
type Runtime interface {
	// Endpoint names the engine address, for messages a user reads.
	Endpoint() string
	// Info reports whether the engine answers, and its version.
	Info(ctx context.Context) (EngineInfo, error)
	// EnsureImage makes image available locally, pulling it when missing.
	// Concurrent calls for one image share a single pull.
	EnsureImage(ctx context.Context, image string) error
	// CreateSandbox creates and starts the network owner of a task on the
	// emulator's task network and returns its address.
	CreateSandbox(ctx context.Context, spec SandboxSpec) (Sandbox, error)
	// CreateContainer creates (does not start) a task container.
	CreateContainer(ctx context.Context, spec ContainerSpec) (id string, err error)
	StartContainer(ctx context.Context, id string) error
	// StopContainer sends SIGTERM, then SIGKILL after timeout. A container
	// that is gone or already stopped counts as stopped.
	StopContainer(ctx context.Context, id string, timeout time.Duration) error
	// RemoveContainer force-removes a container; NotFound counts as success.
	RemoveContainer(ctx context.Context, id string) error
	// InspectContainer returns ErrNotFound (wrapped) for unknown ids.
	InspectContainer(ctx context.Context, id string) (ContainerState, error)
	// ListContainers lists every container carrying LabelManaged, running or not.
	ListContainers(ctx context.Context) ([]ContainerState, error)
	// FollowLogs streams a container's stdout and stderr, from the first
	// entry logged at or after since (zero: from the start), until the
	// container stops (then Next reports io.EOF) or ctx ends. A container
	// that is not running yields what it logged, then io.EOF.
	FollowLogs(ctx context.Context, id string, since time.Time) (LogReader, error)
	// Events streams events of managed containers until ctx ends. The error
	// channel yields one error if the stream breaks; callers resubscribe.
	Events(ctx context.Context) (<-chan Event, <-chan error)
	// Close releases the engine connection.
	Close() error
}

// LogEntry is one message of a container's output as the engine logged
// it, with the engine's timestamp.
type LogEntry struct {
	Time   time.Time
	Stderr bool
	// Text is the message without its line end.
	Text string
	// Partial means the message did not end a line: the engine split a
	// longer line (Docker does at 16 KiB), or the output stopped without a
	// newline. The next entry of the same stream continues it.
	Partial bool
}

// LogReader yields a container's output in the order it was logged.
type LogReader interface {
	// Next returns the next entry, or io.EOF once the output ended.
	Next() (LogEntry, error)
	// Buffered reports whether more output already arrived, so that Next
	// would not wait for the engine: readers batch while it is true.
	Buffered() bool
	io.Closer
}
