package taskmeta

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// A task's credentials ID (the last part of its credentials path) and its
// authorization token are keyed hashes of its ARN: stable for the task,
// unguessable by other containers, and checked without a table.

func (s *Server) mac(purpose, taskARN string) string {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte(purpose + "\x00" + taskARN))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// credentialsID is "<task id>-<keyed hash>".
func (s *Server) credentialsID(taskARN string) string {
	return taskID(taskARN) + "-" + s.mac("credentials", taskARN)
}

// authToken is what AWS_CONTAINER_AUTHORIZATION_TOKEN carries when the
// credentials are served at a full URI.
func (s *Server) authToken(taskARN string) string { return s.mac("authorization", taskARN) }

func taskID(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// credentialsError is the agent's error document for credential requests.
type credentialsError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// credentials serves the role credentials of the task the ID belongs to.
// A request that carries an Authorization header (SDKs send the token
// with a full URI) must carry the task's token.
func (s *Server) credentials(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	tid, _, _ := strings.Cut(id, "-")
	t, found := s.opts.Source.Task(req.Context(), tid)
	if !found || subtle.ConstantTimeCompare([]byte(id), []byte(s.credentialsID(t.TaskARN))) != 1 || t.RoleARN == "" {
		writeJSON(w, http.StatusBadRequest, credentialsError{"InvalidIdInRequest", "CredentialsV2Request: ID not found"})
		return
	}
	if auth := req.Header.Get("Authorization"); (auth != "" || s.needsToken()) &&
		subtle.ConstantTimeCompare([]byte(auth), []byte(s.authToken(t.TaskARN))) != 1 {
		writeJSON(w, http.StatusUnauthorized, credentialsError{"AccessDenied", "CredentialsV2Request: Authorization token does not match the task's"})
		return
	}
	creds, err := s.opts.Source.Credentials(req.Context(), t)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, credentialsError{"InternalServerError", "CredentialsV2Request: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, creds)
}
