// Package taskmeta serves what ECS serves to a task's containers at
// 169.254.170.2: the task metadata endpoint (versions 3 and 4: the
// container, the task and their Docker stats) and the credentials of the
// task's role. Like the other data planes it imports nothing of the
// emulator: a Source supplies the documents, built on each request.
package taskmeta

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Source gives the endpoint its documents.
type Source interface {
	// Task returns the task with this ID (the last part of its ARN), as
	// the endpoint shows it, or false when there is none.
	Task(ctx context.Context, taskID string) (Task, bool)
	// Stats returns the engine's stats of one container: Docker's
	// ContainerStats document, which is what ECS returns.
	Stats(ctx context.Context, dockerID string) (json.RawMessage, error)
	// Credentials issues credentials for the task's role (t.RoleARN).
	Credentials(ctx context.Context, t Task) (Credentials, error)
}

// Options configures a Server.
type Options struct {
	Source Source
	// Secret keys the credential IDs and authorization tokens, so that a
	// container cannot guess another task's; random when nil.
	Secret []byte
	Logger *slog.Logger
}

// Server is the endpoint. Start it on an address; Variables then tells
// the environment of each container.
type Server struct {
	opts Options
	log  *slog.Logger
	http *http.Server
	ln   net.Listener
	done chan struct{}
}

// New returns a server that is not listening yet.
func New(opts Options) *Server {
	if opts.Secret == nil {
		opts.Secret = make([]byte, 32)
		_, _ = rand.Read(opts.Secret)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, log: opts.Logger, done: make(chan struct{})}
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	return s
}

// Start listens on the first of addrs that can be bound (say port 80 of
// 169.254.170.2, where SDKs look by default, then any port of it) and
// serves in the background until Shutdown.
func (s *Server) Start(addrs ...string) error {
	var errs []error
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.ln = ln
		go func() {
			defer close(s.done)
			if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("task metadata endpoint stopped", "err", err)
			}
		}()
		return nil
	}
	return fmt.Errorf("task metadata endpoint: %w", errors.Join(errs...))
}

// Addr is the address the endpoint listens on ("" before Start).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Shutdown stops serving within ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	err := s.http.Shutdown(ctx)
	<-s.done
	return err
}

// Handler routes the endpoint's paths:
//
//	/v4/<token>, /v4/<token>/task, /v4/<token>/stats, /v4/<token>/task/stats
//	/v3/<token>, ... (the same, in version 3's shapes)
//	/v2/credentials/<credentials id>
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, v := range []int{3, 4} {
		prefix := fmt.Sprintf("GET /v%d/{token}", v)
		mux.HandleFunc(prefix, s.metadata(v, s.container))
		mux.HandleFunc(prefix+"/task", s.metadata(v, s.task))
		mux.HandleFunc(prefix+"/stats", s.metadata(v, s.containerStats))
		mux.HandleFunc(prefix+"/task/stats", s.metadata(v, s.taskStats))
	}
	mux.HandleFunc("GET /v2/credentials/{id}", s.credentials)
	return mux
}

// request is one metadata request, resolved to its task and container.
type request struct {
	version   int
	task      Task
	container Container
}

type metadataHandler func(ctx context.Context, w http.ResponseWriter, r request)

// metadata resolves the token of a metadata path to its task and
// container, answering 404 when either is unknown (a stopped task that
// was forgotten, a guessed token).
func (s *Server) metadata(version int, h metadataHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		taskID, name, ok := strings.Cut(req.PathValue("token"), "-")
		if !ok {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("V%d metadata handler: invalid metadata path", version))
			return
		}
		t, found := s.opts.Source.Task(req.Context(), taskID)
		if !found {
			writeError(w, http.StatusNotFound, fmt.Sprintf("V%d metadata handler: unable to find task %s", version, taskID))
			return
		}
		for _, c := range t.Containers {
			if c.Name == name {
				h(req.Context(), w, request{version: version, task: t, container: c})
				return
			}
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("V%d metadata handler: unable to find container %s of task %s", version, name, taskID))
	}
}

func (s *Server) container(_ context.Context, w http.ResponseWriter, r request) {
	if r.version == 3 {
		writeJSON(w, http.StatusOK, v3Container(r.container))
		return
	}
	writeJSON(w, http.StatusOK, r.container)
}

func (s *Server) task(_ context.Context, w http.ResponseWriter, r request) {
	if r.version == 3 {
		writeJSON(w, http.StatusOK, v3Task(r.task))
		return
	}
	writeJSON(w, http.StatusOK, r.task)
}

// containerStats is the engine's stats of the container, as ECS returns.
func (s *Server) containerStats(ctx context.Context, w http.ResponseWriter, r request) {
	if r.container.DockerID == "" {
		writeError(w, http.StatusNotFound, fmt.Sprintf("V%d stats handler: container %s has not been created yet", r.version, r.container.Name))
		return
	}
	st, err := s.opts.Source.Stats(ctx, r.container.DockerID)
	if err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("V%d stats handler: unable to get stats for container %s: %v", r.version, r.container.DockerID, err))
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// taskStats maps each container's Docker ID to its stats (null for one
// whose stats cannot be read, such as a container that has exited).
func (s *Server) taskStats(ctx context.Context, w http.ResponseWriter, r request) {
	out := map[string]json.RawMessage{}
	for _, c := range r.task.Containers {
		if c.DockerID == "" {
			continue
		}
		st, err := s.opts.Source.Stats(ctx, c.DockerID)
		if err != nil {
			st = json.RawMessage("null")
		}
		out[c.DockerID] = st
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError answers as the agent's metadata handlers do: a JSON string.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, msg)
}
