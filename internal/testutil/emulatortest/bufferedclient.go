package emulatortest

import (
	"bytes"
	"io"
	"net/http"
)

// bufferedTransport sends every request body from memory. The Go SDK can
// close its own request body stream while the transport still writes it,
// which makes the transport drop the connection under the response being
// read ("use of closed network connection", aws/aws-sdk-go-v2#2737). Tests
// run without retries, so they would see that as a failure of the
// emulator; reading the body first closes the race.
type bufferedTransport struct{ next http.RoundTripper }

func (b bufferedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
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
	return b.next.RoundTrip(r)
}

// httpClient is the HTTP client of every SDK client the harness hands out.
var httpClient = &http.Client{Transport: bufferedTransport{next: http.DefaultTransport}}
