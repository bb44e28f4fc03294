// Package connlimit bounds the connections a TCP listener holds: in all,
// and per client address, so that one client cannot take every
// connection of a server (the AWS endpoint, an ALB listener, the DNS
// server's TCP side) and starve the others.
package connlimit

import (
	"net"
	"sync"
)

// Limits of a listener. Zero fields mean no limit of that kind.
type Limits struct {
	Total     int // connections held at once
	PerClient int // connections held at once from one client IP
}

// Listener accepts like the listener it wraps, but closes at once a
// connection over a limit; Accept then goes on with the next one.
type Listener struct {
	net.Listener
	limits Limits

	mu       sync.Mutex
	total    int
	byClient map[string]int
}

// Wrap bounds ln's connections by limits.
func Wrap(ln net.Listener, limits Limits) *Listener {
	return &Listener{Listener: ln, limits: limits, byClient: map[string]int{}}
}

// Accept returns the next connection within the limits.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := clientOf(c.RemoteAddr())
		if l.admit(client) {
			return &conn{Conn: c, release: sync.OnceFunc(func() { l.release(client) })}, nil
		}
		_ = c.Close()
	}
}

// Open is the number of connections held now (for tests and logs).
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

func (l *Listener) admit(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limits.Total > 0 && l.total >= l.limits.Total {
		return false
	}
	if l.limits.PerClient > 0 && l.byClient[client] >= l.limits.PerClient {
		return false
	}
	l.total++
	l.byClient[client]++
	return true
}

func (l *Listener) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byClient[client]--; l.byClient[client] <= 0 {
		delete(l.byClient, client)
	}
}

// clientOf is the IP of a remote address: a client's connections count
// together whatever their source ports.
func clientOf(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// conn gives its place back when closed, once.
type conn struct {
	net.Conn
	release func()
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
