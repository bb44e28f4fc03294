// Package server is the single HTTP endpoint of the emulator: it routes
// AWS requests to the service APIs by protocol (never by Host) and serves
// the emulator's own health document.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/smithy-go"
	"github.com/go-chi/chi/v5"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/runtime"
)

// maxBody bounds request bodies; ECS requests are far smaller.
const maxBody = 16 << 20

// JSONService is an awsJson1_1 API (ECS, Cloud Map).
type JSONService interface {
	Handle(ctx context.Context, operation string, body []byte) (any, error)
}

// QueryService is an awsQuery API (ELBv2).
type QueryService interface {
	Handle(ctx context.Context, action string, values url.Values) (any, error)
}

// elbv2Namespace is the XML namespace of ELBv2 documents.
const elbv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

// Options wires the server.
type Options struct {
	ECS       JSONService
	CloudMap  JSONService
	ELBv2     QueryService
	Runtime   runtime.Runtime // nil: Docker disabled
	Region    string
	AccountID string
	Version   string
	Logger    *slog.Logger
}

// Server routes requests.
type Server struct {
	opts Options
	log  *slog.Logger
}

// New returns a server.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Server{opts: opts, log: opts.Logger}
}

// Handler is the HTTP handler of the endpoint.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Get("/_emulator/health", s.health)
	r.HandleFunc("/*", s.aws)
	return r
}

// aws answers one AWS API request: classify, decode, act, encode.
func (s *Server) aws(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := awsproto.NewRequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		awsproto.WriteJSONError(w, requestID, &awsproto.SerializationError{Message: "request body unreadable or larger than 16 MiB"}, awsproto.LowerFirst, nil)
		return
	}
	route, err := awsproto.Classify(r, body, s.opts.Region)
	if err != nil {
		awsproto.WriteJSONError(w, requestID, missingTarget(), awsproto.LowerFirst, nil)
		s.logRequest(r, route, requestID, http.StatusBadRequest, start, nil)
		return
	}
	ctx := reqctx.With(r.Context(), route.Region, s.opts.AccountID, requestID)
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
	switch {
	case route.Service == awsproto.ServiceECS && s.opts.ECS != nil:
		return s.serveJSON(ctx, w, s.opts.ECS, route, body, requestID, awsproto.LowerFirst, awsproto.DefaultStatus)
	case route.Service == awsproto.ServiceCloudMap && s.opts.CloudMap != nil:
		return s.serveJSON(ctx, w, s.opts.CloudMap, route, body, requestID, awsproto.AsIs, awsproto.CloudMapStatus)
	case route.Service == awsproto.ServiceELBv2 && s.opts.ELBv2 != nil:
		return s.serveQuery(ctx, w, r, route, body, requestID)
	case route.Protocol == awsproto.ProtocolQuery:
		err := notServed("elasticloadbalancing", route.Operation)
		awsproto.WriteQueryError(w, requestID, "", err, nil)
		return http.StatusBadRequest, nil
	default:
		awsproto.WriteJSONError(w, requestID, awsproto.UnknownOperation(route.Target+"."+route.Operation), awsproto.LowerFirst, nil)
		return http.StatusBadRequest, nil
	}
}

func (s *Server) serveJSON(ctx context.Context, w http.ResponseWriter, svc JSONService, route awsproto.Route, body []byte, requestID string, n awsproto.Naming, st awsproto.StatusFunc) (int, error) {
	out, err := svc.Handle(ctx, route.Operation, body)
	if err != nil {
		awsproto.WriteJSONError(w, requestID, err, n, st)
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			return st(apiErr.ErrorCode(), apiErr.ErrorFault()), nil
		}
		return http.StatusInternalServerError, err
	}
	if err := awsproto.WriteJSON(w, requestID, out, n); err != nil {
		return http.StatusInternalServerError, err
	}
	return http.StatusOK, nil
}

// serveQuery answers an awsQuery request: form fields in, XML out.
func (s *Server) serveQuery(ctx context.Context, w http.ResponseWriter, r *http.Request, route awsproto.Route, body []byte, requestID string) (int, error) {
	values, err := queryValues(r, body)
	if err == nil {
		var out any
		if out, err = s.opts.ELBv2.Handle(ctx, route.Operation, values); err == nil {
			if err := awsproto.WriteQuery(w, requestID, route.Operation, out); err != nil {
				return http.StatusInternalServerError, err
			}
			return http.StatusOK, nil
		}
	}
	awsproto.WriteQueryError(w, requestID, elbv2Namespace, err, awsproto.ELBv2Status)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return awsproto.ELBv2Status(apiErr.ErrorCode(), apiErr.ErrorFault()), nil
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

// notServed is the error for a service this build does not serve yet.
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
