package runtime

import (
	"context"
	"fmt"
	"time"
)

// Disabled is the runtime used with --disable-docker: the API works, and
// every task fails to start with a reason that says why.
type Disabled struct{}

var errDisabled = fmt.Errorf("%w: Docker is disabled in this emulator (--disable-docker)", ErrEngineUnavailable)

func (Disabled) Endpoint() string                             { return "disabled" }
func (Disabled) Info(context.Context) (EngineInfo, error)     { return EngineInfo{}, errDisabled }
func (Disabled) EnsureImage(context.Context, string) error    { return errDisabled }
func (Disabled) StartContainer(context.Context, string) error { return errDisabled }
func (Disabled) RemoveContainer(context.Context, string) error {
	return nil // nothing was ever created
}
func (Disabled) CreateSandbox(context.Context, SandboxSpec) (Sandbox, error) {
	return Sandbox{}, errDisabled
}
func (Disabled) CreateContainer(context.Context, ContainerSpec) (string, error) {
	return "", errDisabled
}
func (Disabled) StopContainer(context.Context, string, time.Duration) error { return nil }
func (Disabled) InspectContainer(context.Context, string) (ContainerState, error) {
	return ContainerState{}, fmt.Errorf("%w: %w", ErrNotFound, errDisabled)
}
func (Disabled) FollowLogs(context.Context, string, time.Time) (LogReader, error) {
	return nil, fmt.Errorf("%w: %w", ErrNotFound, errDisabled)
}
func (Disabled) ListContainers(context.Context) ([]ContainerState, error) { return nil, errDisabled }

// Events returns a stream that stays silent until ctx ends.
func (Disabled) Events(ctx context.Context) (<-chan Event, <-chan error) {
	errs := make(chan error, 1)
	go func() {
		<-ctx.Done()
		errs <- ctx.Err()
	}()
	return make(chan Event), errs
}
func (Disabled) Close() error { return nil }
