package s3

import (
	"bytes"
	"net/http"
	"strconv"
)

// listV2 is gofakes3's ListObjectsV2 with KeyCount always present: gofakes3
// leaves it out when it is 0, and AWS (and the CDK CLI's reading of an
// empty listing) has <KeyCount>0</KeyCount>.
func (a *API) listV2(w http.ResponseWriter, r *http.Request) {
	rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	a.fake.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status == http.StatusOK && !bytes.Contains(body, []byte("<KeyCount>")) {
		if i := bytes.LastIndex(body, []byte("</ListBucketResult>")); i >= 0 {
			body = append(append(append([]byte{}, body[:i]...), "<KeyCount>0</KeyCount>"...), body[i:]...)
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// bufferedResponse is an http.ResponseWriter that keeps what is written.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}
