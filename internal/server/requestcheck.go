package server

import (
	"fmt"
	"io"
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// Request body limits, per protocol. The largest JSON requests the
// emulator serves are CloudWatch Logs batches (1 MiB of events, larger
// once JSON-escaped); the largest form-encoded ones are CloudFormation
// templates (TemplateBody is at most 51,200 bytes, about three times that
// URL-encoded). Anything bigger is refused unread beyond the limit, so no
// client can make the endpoint hold more.
const (
	maxJSONBody  = 8 << 20
	maxQueryBody = 1 << 20
)

func bodyLimit(p awsproto.Protocol) int64 {
	if p == awsproto.ProtocolJSON {
		return maxJSONBody
	}
	return maxQueryBody
}

// readBody reads a request body up to its protocol's limit. A body over
// the limit, or one that breaks off, is answered with an error in the
// protocol the client speaks, and ok is false.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, requestID string) (body []byte, ok bool) {
	proto := s.services.router.Sniff(r)
	limit := bodyLimit(proto)
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err == nil && int64(len(body)) <= limit {
		return body, true
	}
	status, code := http.StatusBadRequest, "SerializationException"
	msg := "The request body could not be read."
	if err == nil {
		status, code = http.StatusRequestEntityTooLarge, "RequestEntityTooLarge"
		msg = fmt.Sprintf("The request body is larger than %d bytes.", limit)
	}
	apiErr := &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
	fixed := func(string, smithy.ErrorFault) int { return status }
	switch proto {
	case awsproto.ProtocolJSON:
		if code == "SerializationException" {
			awsproto.WriteJSONError(w, requestID, &awsproto.SerializationError{Message: msg}, awsproto.LowerFirst, fixed)
			return nil, false
		}
		awsproto.WriteJSONError(w, requestID, apiErr, awsproto.LowerFirst, fixed)
	case awsproto.ProtocolEC2:
		awsproto.WriteEC2Error(w, requestID, apiErr, fixed)
	default:
		awsproto.WriteQueryError(w, requestID, "", apiErr, fixed)
	}
	return nil, false
}

// checkJSONCall refuses what an awsJson endpoint does not take as a call:
// a method other than POST, or a body that is not declared as JSON. AWS's
// front end matches no operation for such a request and answers
// UnknownOperationException. It returns false when it answered.
func checkJSONCall(w http.ResponseWriter, r *http.Request, route awsproto.Route, requestID string) bool {
	if route.Protocol != awsproto.ProtocolJSON || r.Header.Get("X-Amz-Target") == "" {
		return true
	}
	var msg string
	switch {
	case r.Method != http.MethodPost:
		msg = fmt.Sprintf("The %s method is not an operation call: JSON-protocol operations are sent as POST.", r.Method)
	case !awsproto.IsJSONContentType(r.Header.Get("Content-Type")):
		msg = fmt.Sprintf("The Content-Type %q is not one a JSON-protocol operation accepts (application/x-amz-json-1.1).", r.Header.Get("Content-Type"))
	default:
		return true
	}
	awsproto.WriteJSONError(w, requestID, &smithy.GenericAPIError{Code: "UnknownOperationException", Message: msg, Fault: smithy.FaultClient}, awsproto.LowerFirst, nil)
	return false
}
