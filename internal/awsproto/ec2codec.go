package awsproto

// PLACEHOLDER until the ec2Query codec lands: the signatures the server
// calls for ProtocolEC2. The codec's author replaces this file.

import (
	"errors"
	"net/http"
)

// WriteEC2 writes an ec2Query response.
func WriteEC2(w http.ResponseWriter, requestID, action, xmlns string, v any) error {
	WriteEC2Error(w, requestID, InternalFailure(), nil)
	return errors.New("awsproto: the ec2Query encoder is not built yet")
}

// WriteEC2Error writes an ec2Query error.
func WriteEC2Error(w http.ResponseWriter, requestID string, err error, status StatusFunc) {
	WriteQueryError(w, requestID, "", err, status)
}
