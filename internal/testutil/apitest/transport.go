package apitest

import (
	"bytes"
	"io"
	"net/http"
)

// Transport sends every request body from memory. The Go SDK can close its
// own request body stream while the transport still writes it, which makes
// the transport drop the connection under the response being read ("use
// of closed network connection", aws/aws-sdk-go-v2#2737). Tests run
// without retries, so they would see that as a failure of the emulator;
// reading the body first closes the race.
type Transport struct{ Next http.RoundTripper }

func (b Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	next := b.Next
	if next == nil {
		next = pool
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	return next.RoundTrip(r)
}

// pool is the tests' own connection pool. Not http.DefaultTransport: every
// httptest.Server.Close closes that one's idle connections, and a parallel
// test that has just taken one from the pool then fails with "http:
// CloseIdleConnections called".
var pool = http.DefaultTransport.(*http.Transport).Clone()

// HTTPClient is the HTTP client of every SDK client the tests hand out.
var HTTPClient = &http.Client{Transport: Transport{}}
