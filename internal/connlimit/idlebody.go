package connlimit

import (
	"io"
	"net/http"
	"time"
)

// IdleBody makes a request body that sends nothing for idle fail, as a
// load balancer's idle timeout does (AWS: the connection is closed when
// no data has been sent or received for that long), while a large body
// that keeps arriving is read to its end. It returns the body to read
// instead of r.Body.
func IdleBody(w http.ResponseWriter, r *http.Request, idle time.Duration) io.ReadCloser {
	if idle <= 0 || r.Body == nil || r.Body == http.NoBody {
		return r.Body
	}
	b := &idleBody{ReadCloser: r.Body, ctrl: http.NewResponseController(w), idle: idle}
	// From now: a handler that never reads the body leaves the server to
	// discard it after the response, and that read must end too.
	_ = b.ctrl.SetReadDeadline(time.Now().Add(idle))
	return b
}

type idleBody struct {
	io.ReadCloser
	ctrl *http.ResponseController
	idle time.Duration
}

func (b *idleBody) Read(p []byte) (int, error) {
	// Best effort: a writer that cannot set deadlines reads without one.
	_ = b.ctrl.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		// Read to its end: the server's own wait for the client going
		// away must not inherit the deadline, which would cancel a
		// handler that runs longer than idle. (After a stall the
		// deadline stays, so the server's discard of the rest of the
		// body ends too, and the connection with it.)
		_ = b.ctrl.SetReadDeadline(time.Time{})
	}
	return n, err
}
