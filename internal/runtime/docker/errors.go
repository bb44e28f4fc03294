package docker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// opError is an engine call that failed. Kind, when set, is one of the
// runtime sentinels so callers can use errors.Is without knowing Docker.
type opError struct {
	op      string // e.g. "create container"
	subject string // container name or id, image, network; may be empty
	kind    error  // runtime.ErrNotFound, runtime.ErrEngineUnavailable or nil
	msg     string // one line, already made readable
	err     error
}

func (e *opError) Error() string {
	if e.subject == "" {
		return e.op + ": " + e.msg
	}
	return e.op + " " + e.subject + ": " + e.msg
}

func (e *opError) Unwrap() []error {
	if e.kind == nil {
		return []error{e.err}
	}
	return []error{e.kind, e.err}
}

// wrap names the operation and its subject, classifies err and keeps it on
// one line, because the message may end up in a task's stoppedReason.
func (r *Runtime) wrap(op, subject string, err error) error {
	if err == nil {
		return nil
	}
	var oe *opError
	if errors.As(err, &oe) {
		return err // already classified by a nested call
	}
	e := &opError{op: op, subject: subject, msg: oneLine(err.Error()), err: err}
	switch {
	case client.IsErrConnectionFailed(err):
		e.kind = runtime.ErrEngineUnavailable
		e.msg = r.unreachable(err)
	case errors.Is(err, context.DeadlineExceeded):
		// A hung engine is as good as an absent one to the caller, who
		// should retry later rather than blame the task.
		e.kind = runtime.ErrEngineUnavailable
		e.msg = fmt.Sprintf("the Docker engine at %s did not answer in time (%v)", r.Endpoint(), context.DeadlineExceeded)
	case cerrdefs.IsNotFound(err):
		e.kind = runtime.ErrNotFound
	}
	return e
}

// unreachable says which endpoint failed and why, with the socket-level
// cause rather than the client's longer advice text.
func (r *Runtime) unreachable(err error) string {
	cause := err.Error()
	var ne *net.OpError
	switch {
	case errors.As(err, &ne):
		cause = ne.Error()
	case strings.HasPrefix(cause, "Cannot connect to the Docker daemon"):
		// The client drops the cause of a refused or timed-out dial and
		// repeats the endpoint instead; say what it means.
		cause = "connection refused or timed out (is the engine running?)"
	}
	return fmt.Sprintf("cannot reach the Docker engine at %s: %s", r.Endpoint(), oneLine(cause))
}

// oneLine folds whitespace runs (engine messages can carry newlines) into
// single spaces and drops the client's "Error response from daemon: ".
func oneLine(s string) string {
	s = strings.TrimPrefix(s, "Error response from daemon: ")
	return strings.Join(strings.Fields(s), " ")
}

// isUnavailable reports whether err means the engine could not be reached.
func isUnavailable(err error) bool {
	return errors.Is(err, runtime.ErrEngineUnavailable) || client.IsErrConnectionFailed(err)
}
