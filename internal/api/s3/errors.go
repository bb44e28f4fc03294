package s3

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/smithy-go"
	"github.com/johannesboyne/gofakes3"

	"github.com/localaws/ecsemu/internal/reqctx"
)

// Error is an S3 error: AWS's code, message and HTTP status. It is a
// smithy.APIError, so in-process callers (CloudFormation) read the code
// the way they read any SDK error.
type Error struct {
	Code    string
	Message string
	Status  int
	Bucket  string // the BucketName element, when the error is about one
	Key     string // the Key element, when the error is about an object
}

func (e *Error) Error() string                 { return e.Code + ": " + e.Message }
func (e *Error) ErrorCode() string             { return e.Code }
func (e *Error) ErrorMessage() string          { return e.Message }
func (e *Error) ErrorFault() smithy.ErrorFault { return faultOf(e.Status) }

func faultOf(status int) smithy.ErrorFault {
	if status >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

func errNoSuchBucket(bucket string) error {
	return &Error{Code: "NoSuchBucket", Message: "The specified bucket does not exist", Status: http.StatusNotFound, Bucket: bucket}
}

func errNoSuchKey(key string) error {
	return &Error{Code: "NoSuchKey", Message: "The specified key does not exist.", Status: http.StatusNotFound, Key: key}
}

func errOwnedByYou(bucket string) error {
	return &Error{Code: "BucketAlreadyOwnedByYou", Status: http.StatusConflict, Bucket: bucket,
		Message: "Your previous request to create the named bucket succeeded and you already own it."}
}

func errAlreadyExists(bucket string) error {
	return &Error{Code: "BucketAlreadyExists", Status: http.StatusConflict, Bucket: bucket,
		Message: "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."}
}

func errBucketNotEmpty(bucket string) error {
	return &Error{Code: "BucketNotEmpty", Message: "The bucket you tried to delete is not empty", Status: http.StatusConflict, Bucket: bucket}
}

func errInvalidBucketName(bucket string) error {
	return &Error{Code: "InvalidBucketName", Message: "The specified bucket is not valid.", Status: http.StatusBadRequest, Bucket: bucket}
}

func errMalformedXML() error {
	return &Error{Code: "MalformedXML", Status: http.StatusBadRequest,
		Message: "The XML you provided was not well-formed or did not validate against our published schema"}
}

func errNotImplemented() error {
	return &Error{Code: "NotImplemented", Status: http.StatusNotImplemented,
		Message: "A header or query you provided implies functionality that is not implemented."}
}

func errBadDigest(algorithm string) error {
	return &Error{Code: "BadDigest", Status: http.StatusBadRequest,
		Message: fmt.Sprintf("The %s you specified did not match the calculated checksum.", algorithm)}
}

func errIncompleteBody() error {
	return &Error{Code: "IncompleteBody", Status: http.StatusBadRequest,
		Message: "The request body terminated unexpectedly"}
}

func errTooLarge() error {
	return &Error{Code: "EntityTooLarge", Status: http.StatusBadRequest,
		Message: "Your proposed upload exceeds the maximum allowed size"}
}

// fromFake turns a gofakes3 error into an Error, keeping its code.
func fromFake(err error, bucket string) error {
	var fe gofakes3.Error
	if !errors.As(err, &fe) {
		return err
	}
	code := fe.ErrorCode()
	switch code {
	case gofakes3.ErrNoSuchBucket:
		return errNoSuchBucket(bucket)
	case gofakes3.ErrBucketNotEmpty:
		return errBucketNotEmpty(bucket)
	}
	return &Error{Code: string(code), Message: code.Message(), Status: code.Status(), Bucket: bucket}
}

// errorDoc is S3's error document.
type errorDoc struct {
	XMLName    xml.Name `xml:"Error"`
	Code       string
	Message    string
	BucketName string `xml:",omitempty"`
	Key        string `xml:",omitempty"`
	RequestID  string `xml:"RequestId"`
	HostID     string `xml:"HostId"`
}

// writeError answers err as S3 does: its status and, except for HEAD, the
// XML error document. Anything that is not an *Error is a bug: 500.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
	}
	id := reqctx.RequestID(r.Context())
	h := w.Header()
	h.Set("x-amz-request-id", id)
	h.Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	if r.Method == http.MethodHead {
		return
	}
	doc := errorDoc{Code: e.Code, Message: e.Message, BucketName: e.Bucket, Key: e.Key, RequestID: id, HostID: id}
	body, _ := xml.Marshal(doc) // a struct of strings always encodes
	_, _ = w.Write(append([]byte(xml.Header), body...))
}

// writeXML answers 200 with an XML document.
func writeXML(w http.ResponseWriter, r *http.Request, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-amz-request-id", reqctx.RequestID(r.Context()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append([]byte(xml.Header), body...))
}
