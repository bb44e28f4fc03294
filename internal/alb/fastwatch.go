package alb

import (
	"context"
	"sync"
	"time"
)

// A client that goes away while its request runs cancels the request, as
// on net/http's path (460, the target's connection closed, the in-flight
// count released). net/http's server reads ahead in the background on
// every request to see that; the fast path starts that read only for a
// request still running after watchDelay, so the common quick request
// costs no goroutine.
const watchDelay = 10 * time.Millisecond

// clientWatch is a fast connection's watch on its client.
type clientWatch struct {
	fc     *fastConn
	timer  *time.Timer
	done   chan struct{} // one value per watch that ran
	cancel context.CancelFunc

	mu       sync.Mutex
	stopping bool

	// Set by a watch, read after it ends.
	gone     bool // the client closed (or reset) the connection
	extra    byte // a byte the client sent meanwhile (a pipelined request)
	hasExtra bool
}

func newClientWatch(fc *fastConn, cancel context.CancelFunc) *clientWatch {
	w := &clientWatch{fc: fc, done: make(chan struct{}, 1), cancel: cancel}
	w.timer = time.AfterFunc(time.Hour, w.run)
	w.timer.Stop()
	return w
}

// start arms the watch for one request.
func (w *clientWatch) start() {
	w.mu.Lock()
	w.stopping = false
	w.mu.Unlock()
	w.timer.Reset(watchDelay)
}

// stop ends the watch; after it, gone and extra are settled.
func (w *clientWatch) stop() {
	if w.timer.Stop() {
		return
	}
	w.mu.Lock()
	w.stopping = true
	_ = w.fc.conn.SetReadDeadline(time.Unix(1, 0)) // ends the watch's read
	w.mu.Unlock()
	<-w.done
}

// run reads one byte from the client: a byte is kept for the next
// request, an end of the connection cancels the running request.
func (w *clientWatch) run() {
	defer func() { w.done <- struct{}{} }()
	w.mu.Lock()
	if w.stopping || w.hasExtra || w.fc.br.Buffered() > 0 {
		w.mu.Unlock()
		return
	}
	_ = w.fc.conn.SetReadDeadline(time.Time{}) // the head's idle deadline does not bound the request
	w.mu.Unlock()
	var b [1]byte
	n, err := w.fc.conn.Read(b[:])
	switch {
	case n == 1:
		w.extra, w.hasExtra = b[0], true
	case err != nil && !isTimeout(err):
		w.gone = true
		w.cancel()
	}
}

// Read is the client side under the connection's buffered reader: the
// byte a watch read comes first.
func (w *clientWatch) Read(b []byte) (int, error) {
	if w.hasExtra && len(b) > 0 {
		b[0], w.hasExtra = w.extra, false
		return 1, nil
	}
	return w.fc.conn.Read(b)
}

// pending returns the byte a watch read and not yet passed on, if any.
func (w *clientWatch) pending() []byte {
	if !w.hasExtra {
		return nil
	}
	w.hasExtra = false
	return []byte{w.extra}
}
