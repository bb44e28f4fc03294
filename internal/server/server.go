// Package server is the single HTTP endpoint of the emulator: it routes
// AWS requests to the service APIs by protocol (never by Host) and serves
// the emulator's own health document.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/localaws/ecsemu/internal/state"

	"github.com/aws/smithy-go"
	"github.com/go-chi/chi/v5"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/runtime"
)

// Options wires the server.
type Options struct {
	Services  []Service       // the table of services; each registers once
	Runtime   runtime.Runtime // nil: Docker disabled
	Region    string
	AccountID string
	Version   string
	Logger    *slog.Logger
	// Reset empties the named services' state (all when none); nil: the
	// reset endpoints answer 501.
	Reset func(ctx context.Context, services []string) error
	// State is the state directory, for the health report (nil: none).
	State *state.DB
	// Outages reports the engine outages the reconciler saw, for the
	// health report (nil: none reported).
	Outages func() EngineOutages
	// Adopting reports the restored tasks not yet adopted and how long
	// adopting all took (nil: not reported).
	Adopting func() (pending int, took time.Duration)
	// TasksReady says whether what tasks need from the engine (their
	// network, resolver and endpoints) is set up (nil: not reported).
	TasksReady func() bool
}

// EngineOutages is what the health report says of engine outages.
type EngineOutages struct {
	DownSince       time.Time     // the current outage's start; zero while up
	Count           int           // outages since start
	LastOutage      time.Duration // how long the last finished one lasted
	LastOutageEnded time.Time
}

// Server routes requests.
type Server struct {
	opts     Options
	log      *slog.Logger
	services table
}

// New returns a server.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Server{opts: opts, log: opts.Logger, services: newTable(opts.Services)}
}

// Handler is the HTTP handler of the endpoint.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Get("/_emulator/health", s.health)
	r.Post("/_emulator/reset", s.reset)
	r.Post("/moto-api/reset", s.reset)
	r.HandleFunc("/*", s.aws)
	return r
}

// aws answers one AWS API request: classify, decode, act, encode.
func (s *Server) aws(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := awsproto.NewRequestID()
	if spec, ok := s.services.router.REST(r); ok {
		s.serveREST(w, r, spec, requestID, start)
		return
	}
	body, ok := s.readBody(w, r, requestID)
	if !ok {
		s.logRequest(r, awsproto.Route{}, requestID, http.StatusRequestEntityTooLarge, start, nil)
		return
	}
	route, err := s.services.router.Classify(r, body, s.opts.Region)
	if err != nil {
		awsproto.WriteJSONError(w, requestID, missingTarget(), awsproto.LowerFirst, nil)
		s.logRequest(r, route, requestID, http.StatusBadRequest, start, nil)
		return
	}
	if !checkJSONCall(w, r, route, requestID) {
		s.logRequest(r, route, requestID, http.StatusBadRequest, start, nil)
		return
	}
	ctx := reqctx.WithAccessKey(reqctx.With(r.Context(), route.Region, s.opts.AccountID, requestID), route.AccessKey)
	status, herr := s.dispatch(ctx, w, r, route, body, requestID)
	s.logRequest(r, route, requestID, status, start, herr)
}

// dispatch runs the operation and writes its response, returning the
// status written and any error that is a bug (not an API error).
func (s *Server) dispatch(ctx context.Context, w http.ResponseWriter, r *http.Request, route awsproto.Route, body []byte, requestID string) (status int, bug error) {
	defer func() {
		if p := recover(); p != nil {
			bug = fmt.Errorf("panic: %v", p)
			awsproto.WriteJSONError(w, requestID, awsproto.InternalFailure(), awsproto.LowerFirst, nil)
			status = http.StatusInternalServerError
		}
	}()
	svc, ok := s.services.byName[route.Service]
	switch {
	case !ok:
		return s.notServed(w, route, requestID)
	case svc.Spec.Protocol == awsproto.ProtocolJSON:
		return s.serveJSON(ctx, w, svc, route, body, requestID)
	case svc.Spec.Protocol == awsproto.ProtocolQuery:
		return s.serveQuery(ctx, w, r, svc, route, body, requestID)
	case svc.Spec.Protocol == awsproto.ProtocolEC2:
		return s.serveEC2(ctx, w, r, svc, route, body, requestID)
	}
	return s.notServed(w, route, requestID)
}

// notServed answers a request for a service this build does not serve, in
// the protocol it was sent in, naming the service.
func (s *Server) notServed(w http.ResponseWriter, route awsproto.Route, requestID string) (int, error) {
	if route.Protocol == awsproto.ProtocolJSON {
		if route.Service == "" && route.Target == "" && route.SigningName == "" {
			awsproto.WriteJSONError(w, requestID, missingTarget(), awsproto.LowerFirst, nil)
			return http.StatusBadRequest, nil
		}
		awsproto.WriteJSONError(w, requestID, notServed(route.Unserved(), route.Target+"."+route.Operation), awsproto.LowerFirst, nil)
		return http.StatusBadRequest, nil
	}
	awsproto.WriteQueryError(w, requestID, "", notServed(route.Unserved(), route.Operation), nil)
	return http.StatusBadRequest, nil
}

func (s *Server) serveJSON(ctx context.Context, w http.ResponseWriter, svc Service, route awsproto.Route, body []byte, requestID string) (int, error) {
	spec := svc.Spec
	out, err := svc.JSON.Handle(ctx, route.Operation, body)
	if err != nil {
		awsproto.WriteJSONError(w, requestID, err, spec.Naming, spec.StatusOf())
		return errorStatus(err, spec.StatusOf())
	}
	if err := awsproto.WriteJSON(w, requestID, out, spec.Naming); err != nil {
		return http.StatusInternalServerError, err
	}
	return http.StatusOK, nil
}

// serveQuery answers an awsQuery request: form fields in, XML out.
func (s *Server) serveQuery(ctx context.Context, w http.ResponseWriter, r *http.Request, svc Service, route awsproto.Route, body []byte, requestID string) (int, error) {
	spec := svc.Spec
	values, err := queryValues(r, body)
	if err == nil {
		var out any
		if out, err = svc.Query.Handle(ctx, route.Operation, values); err == nil {
			if err := awsproto.WriteQuery(w, requestID, spec.XMLNamespace, route.Operation, out); err != nil {
				return http.StatusInternalServerError, err
			}
			return http.StatusOK, nil
		}
	}
	awsproto.WriteQueryError(w, requestID, spec.XMLNamespace, err, spec.StatusOf())
	return errorStatus(err, spec.StatusOf())
}

// serveEC2 answers an ec2Query request: form fields in, EC2's XML out.
func (s *Server) serveEC2(ctx context.Context, w http.ResponseWriter, r *http.Request, svc Service, route awsproto.Route, body []byte, requestID string) (int, error) {
	spec := svc.Spec
	values, err := queryValues(r, body)
	if err == nil {
		var out any
		if out, err = svc.Query.Handle(ctx, route.Operation, values); err == nil {
			if err := awsproto.WriteEC2(w, requestID, route.Operation, spec.XMLNamespace, out); err != nil {
				return http.StatusInternalServerError, err
			}
			return http.StatusOK, nil
		}
	}
	awsproto.WriteEC2Error(w, requestID, err, spec.StatusOf())
	return errorStatus(err, spec.StatusOf())
}

// serveREST hands a REST request (S3) to its service with the request's
// facts in the context; the service writes its own wire format.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request, spec awsproto.ServiceSpec, requestID string, start time.Time) {
	route := s.services.router.RESTRoute(r, spec, s.opts.Region)
	ctx := reqctx.WithAccessKey(reqctx.With(r.Context(), route.Region, s.opts.AccountID, requestID), route.AccessKey)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	var bug error
	func() {
		defer func() {
			if p := recover(); p != nil {
				bug = fmt.Errorf("panic: %v", p)
				if !rec.wrote {
					http.Error(rec, "InternalError", http.StatusInternalServerError)
				}
			}
		}()
		s.services.byName[spec.Name].REST.ServeHTTP(rec, r.WithContext(ctx))
	}()
	s.logRequest(r, route, requestID, rec.status, start, bug)
}

// errorStatus is the status written for err and, when err is not an API
// error (a bug), the error to log.
func errorStatus(err error, status awsproto.StatusFunc) (int, error) {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return status(apiErr.ErrorCode(), apiErr.ErrorFault()), nil
	}
	return http.StatusInternalServerError, err
}

// queryValues are the parameters of a query request: the form body of a
// POST, the URL query of a GET.
func queryValues(r *http.Request, body []byte) (url.Values, error) {
	if r.Method == http.MethodGet {
		return r.URL.Query(), nil
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, &smithy.GenericAPIError{Code: "MalformedQueryString", Message: "The query string is malformed: " + err.Error(), Fault: smithy.FaultClient}
	}
	return v, nil
}

func missingTarget() error {
	return &smithy.GenericAPIError{Code: "UnknownOperationException", Message: "The request names no AWS operation (no X-Amz-Target header, Action parameter or SigV4 credential scope).", Fault: smithy.FaultClient}
}

// notServed is the error for a service this build does not serve.
func notServed(service, op string) error {
	return &smithy.GenericAPIError{Code: "InvalidAction", Message: fmt.Sprintf("The action %s is not valid for this endpoint: %s is not served by this emulator.", op, service), Fault: smithy.FaultClient}
}

// logRequest writes one debug line per request; bugs are logged once as errors.
func (s *Server) logRequest(r *http.Request, route awsproto.Route, requestID string, status int, start time.Time, bug error) {
	attrs := []any{"service", route.Service, "op", route.Operation, "region", route.Region, "status", status,
		"request_id", requestID, "duration", time.Since(start)}
	if bug != nil {
		s.log.Error("request failed", append(attrs, "err", bug)...)
		return
	}
	s.log.Debug("request", attrs...)
}
