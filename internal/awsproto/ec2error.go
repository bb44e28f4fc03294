package awsproto

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/aws/smithy-go"
)

// ec2ErrorResponse is EC2's error document. Unlike awsQuery it has no
// namespace and no Type, and the request ID is RequestID.
type ec2ErrorResponse struct {
	XMLName xml.Name `xml:"Response"`
	Errors  struct {
		Error struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
	} `xml:"Errors"`
	RequestID string `xml:"RequestID"`
}

// WriteEC2Error writes err as an EC2 error:
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code>
//	<Message>…</Message></Error></Errors><RequestID>…</RequestID></Response>
//
// A smithy.APIError (an *EC2Error, a *ValidationError …) keeps its code
// and message; anything else is a bug and becomes InternalError (500),
// which the caller logs. The status comes from status; nil means
// EC2Status.
func WriteEC2Error(w http.ResponseWriter, requestID string, err error, status StatusFunc) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		apiErr = ec2InternalError()
	}
	if status == nil {
		status = EC2Status
	}
	doc := ec2ErrorResponse{RequestID: requestID}
	doc.Errors.Error.Code = apiErr.ErrorCode()
	doc.Errors.Error.Message = apiErr.ErrorMessage()
	body, _ := xml.Marshal(doc) // plain strings: cannot fail
	writeEC2Body(w, requestID, status(doc.Errors.Error.Code, apiErr.ErrorFault()), append([]byte(ec2XMLHeader), body...))
}

// ec2InternalError is EC2's answer to a failure on its side; its message
// is deliberately generic, details go to the log.
func ec2InternalError() *smithy.GenericAPIError {
	return &smithy.GenericAPIError{
		Code:    "InternalError",
		Message: "An internal error has occurred",
		Fault:   smithy.FaultServer,
	}
}
