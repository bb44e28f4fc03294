package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// streamMessage is one line of the JSON progress stream that pulls and
// imports answer with. A failure after the HTTP 200 arrives only here, so
// the stream must be read to the end to know whether the work succeeded.
// Engines send both "error" (old) and "errorDetail" (new); accept either.
type streamMessage struct {
	Status      string `json:"status"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

func (m streamMessage) err() error {
	if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
		return errors.New(m.ErrorDetail.Message)
	}
	if m.Error != "" {
		return errors.New(m.Error)
	}
	return nil
}

// drainStream reads the stream to its end and returns the first error
// reported inside it, or a read error (a cut connection, a timeout).
func drainStream(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m streamMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading progress stream: %w", err)
		}
		if err := m.err(); err != nil {
			return err
		}
	}
}
