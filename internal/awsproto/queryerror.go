package awsproto

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/aws/smithy-go"
)

// queryErrorResponse is the awsQuery error document (spec §1.4).
type queryErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// WriteQueryError writes err as an awsQuery (XML) error. The code is the
// error's ErrorCode(), which for ELBv2 must be the awsQueryError code
// (TargetGroupNotFound), not the Go type name. Non-API errors become
// InternalFailure (500). A nil status means DefaultStatus.
func WriteQueryError(w http.ResponseWriter, requestID, xmlns string, err error, status StatusFunc) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		apiErr = internalFailure()
	}
	if status == nil {
		status = DefaultStatus
	}
	doc := queryErrorResponse{Xmlns: xmlns, RequestID: requestID}
	doc.Error.Type = "Sender"
	if apiErr.ErrorFault() == smithy.FaultServer {
		doc.Error.Type = "Receiver"
	}
	doc.Error.Code = apiErr.ErrorCode()
	doc.Error.Message = apiErr.ErrorMessage()
	body, _ := xml.Marshal(doc) // plain strings: cannot fail
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status(doc.Error.Code, apiErr.ErrorFault()))
	_, _ = w.Write(append([]byte(xml.Header), body...))
}
