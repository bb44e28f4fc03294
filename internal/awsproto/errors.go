package awsproto

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"

	"github.com/aws/smithy-go"
)

const jsonContentType = "application/x-amz-json-1.1"

// StatusFunc chooses the HTTP status of an error response. Services differ:
// ECS answers every client error with 400, Cloud Map models 404/409/429.
type StatusFunc func(code string, fault smithy.ErrorFault) int

// DefaultStatus is 500 for server faults and 400 for everything else, the
// rule of ECS, whose modeled errors carry no explicit HTTP status.
func DefaultStatus(_ string, fault smithy.ErrorFault) int {
	if fault == smithy.FaultServer {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// CloudMapStatus applies Cloud Map's @httpError traits.
func CloudMapStatus(code string, fault smithy.ErrorFault) int {
	switch code {
	case "NamespaceNotFound", "ServiceNotFound", "InstanceNotFound", "OperationNotFound",
		"CustomHealthNotFound", "ResourceNotFoundException":
		return http.StatusNotFound
	case "ResourceInUse", "DuplicateRequest":
		return http.StatusConflict
	case "RequestLimitExceeded":
		return http.StatusTooManyRequests
	}
	return DefaultStatus(code, fault)
}

// WriteJSON writes a 200 awsJson1_1 response; nil or empty outputs become
// {}. If v cannot be encoded (a handler bug) it writes InternalFailure and
// returns the encoding error for the caller to log.
func WriteJSON(w http.ResponseWriter, requestID string, v any, n Naming) error {
	buf := responseBuffers.Get().(*[]byte)
	defer putResponseBuffer(buf)
	body, err := appendJSON((*buf)[:0], v, n)
	if err != nil {
		WriteJSONError(w, requestID, err, n, nil)
		return err
	}
	*buf = body
	writeJSONBody(w, requestID, http.StatusOK, body)
	return nil
}

// responseBuffers hold encoded responses until they are written: a large
// response (ten services with their events) would otherwise grow a new
// buffer from scratch on every request.
var responseBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuffer keeps one huge response from pinning its memory.
const maxPooledBuffer = 1 << 20

func putResponseBuffer(buf *[]byte) {
	if cap(*buf) <= maxPooledBuffer {
		*buf = (*buf)[:0]
		responseBuffers.Put(buf)
	}
}

// WriteJSONError writes err as an awsJson1_1 error. A smithy.APIError
// (typically an SDK error value such as *types.ClusterNotFoundException)
// keeps its code and members; anything else is a bug and becomes
// InternalFailure (500), which the caller logs. A nil status means
// DefaultStatus.
func WriteJSONError(w http.ResponseWriter, requestID string, err error, n Naming, status StatusFunc) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		apiErr = internalFailure()
	}
	if status == nil {
		status = DefaultStatus
	}
	code := apiErr.ErrorCode()
	body := errorBody(apiErr, code, n)
	w.Header().Set("X-Amzn-ErrorType", code)
	writeJSONBody(w, requestID, status(code, apiErr.ErrorFault()), body)
}

func writeJSONBody(w http.ResponseWriter, requestID string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client has gone; nothing useful to do
}

// errorBody renders {"__type": code, ...members}. SDK error structs are
// encoded whole, so modeled extras (ConflictException.resourceIds,
// NamespaceAlreadyExists.NamespaceId) reach the client; other APIErrors
// carry only their message.
func errorBody(apiErr smithy.APIError, code string, n Naming) []byte {
	body := []byte(`{"__type":`)
	body = appendString(body, code)
	if members := sdkErrorMembers(apiErr, n); members != nil {
		return append(append(body, ','), members...)
	}
	if msg := apiErr.ErrorMessage(); msg != "" {
		body = append(body, ',')
		body = appendString(body, n.memberName("Message"))
		body = append(body, ':')
		body = appendString(body, msg)
	}
	return append(body, '}')
}

// sdkErrorMembers returns the encoded members of an SDK error struct
// (without the outer braces but with the closing one), or nil when
// apiErr is not one. SDK errors are recognised by their ErrorCodeOverride
// field, which every generated error type has and the codec never writes.
func sdkErrorMembers(apiErr smithy.APIError, n Naming) []byte {
	v := reflect.ValueOf(apiErr)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	if _, ok := v.Elem().Type().FieldByName("ErrorCodeOverride"); !ok {
		return nil
	}
	enc, err := EncodeJSON(apiErr, n)
	if err != nil || len(enc) <= 2 {
		return nil // nothing beyond __type (or unencodable): fall back to message
	}
	return enc[1:]
}

// SerializationError reports a request body that is not valid JSON for
// the operation's input shape (AWS code SerializationException, HTTP 400).
type SerializationError struct {
	Message string
}

func (e *SerializationError) Error() string {
	return "SerializationException: " + e.Message
}

// ErrorCode implements smithy.APIError.
func (e *SerializationError) ErrorCode() string { return "SerializationException" }

// ErrorMessage implements smithy.APIError.
func (e *SerializationError) ErrorMessage() string { return e.Message }

// ErrorFault implements smithy.APIError.
func (e *SerializationError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// UnknownOperation is the error for an X-Amz-Target naming no operation
// the emulator serves.
func UnknownOperation(op string) error {
	return &smithy.GenericAPIError{
		Code:    "UnknownOperationException",
		Message: fmt.Sprintf("Operation %q is not supported.", op),
		Fault:   smithy.FaultClient,
	}
}

// InternalFailure is the error reported for anything that is not an API
// error. Its message is deliberately generic: details go to the log, not
// to the client.
func InternalFailure() error {
	return internalFailure()
}

func internalFailure() *smithy.GenericAPIError {
	return &smithy.GenericAPIError{
		Code:    "InternalFailure",
		Message: "The request processing has failed because of an unknown error, exception or failure.",
		Fault:   smithy.FaultServer,
	}
}

// NewRequestID returns a random (version 4) UUID, the shape of AWS
// request IDs.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
