package s3

import (
	"net/http"
	"net/url"

	"github.com/localaws/ecsemu/internal/reqctx"
)

// Sub-resources gofakes3 does not serve. It would answer a GET of most of
// them as a listing or an object read, so they are refused here instead.
var (
	unservedBucketSubresources = []string{"acl", "cors", "lifecycle", "website", "logging", "notification",
		"replication", "publicAccessBlock", "ownershipControls", "object-lock", "accelerate", "requestPayment",
		"analytics", "metrics", "inventory", "intelligent-tiering", "policyStatus", "metadataTable"}
	unservedObjectSubresources = []string{"acl", "tagging", "retention", "legal-hold", "attributes", "torrent",
		"restore", "select"}
)

// ServeHTTP answers one S3 request: virtual-host style becomes path
// style, the bucket operations gofakes3 lacks are answered here, uploads
// are normalised, and everything else is gofakes3's.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.ensureBootstrapped(reqctx.Account(r.Context()), reqctx.Region(r.Context()))
	if b := hostBucket(r.Host); b != "" {
		r.URL.Path = "/" + b + r.URL.Path
		r.URL.RawPath = ""
	}
	name, key := splitPath(r.URL.Path)
	a.bootstrapFor(name)
	q := r.URL.Query()
	switch {
	case name == "" && r.Method == http.MethodGet:
		a.listBuckets(w, r)
	case name == "":
		a.fake.ServeHTTP(w, r)
	case key == "":
		a.serveBucket(w, r, name, q)
	case hasAny(q, unservedObjectSubresources):
		writeError(w, r, errNotImplemented())
	case r.Method == http.MethodPut:
		if err := normaliseBody(r); err != nil {
			writeError(w, r, err)
			return
		}
		a.fake.ServeHTTP(w, r)
	default:
		a.fake.ServeHTTP(w, r)
	}
}

// serveBucket answers a request on a bucket (no key).
func (a *API) serveBucket(w http.ResponseWriter, r *http.Request, name string, q url.Values) {
	switch {
	case has(q, "location"):
		a.getLocation(w, r, name)
	case has(q, "policy"):
		a.servePolicy(w, r, name)
	case has(q, "tagging"):
		a.serveTagging(w, r, name)
	case has(q, "encryption"):
		a.serveEncryption(w, r, name)
	case hasAny(q, unservedBucketSubresources):
		writeError(w, r, errNotImplemented())
	case r.Method == http.MethodPut && !has(q, "versioning"):
		a.createBucketHTTP(w, r, name)
	case r.Method == http.MethodDelete && len(q) == 0:
		a.deleteBucketHTTP(w, r, name)
	case r.Method == http.MethodHead:
		if b, ok := a.reg.get(name); ok {
			w.Header().Set("X-Amz-Bucket-Region", b.region)
		}
		a.fake.ServeHTTP(w, r)
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		a.listV2(w, r)
	default:
		a.fake.ServeHTTP(w, r)
	}
}

// has reports whether a query names a sub-resource ("?location" or
// "?location=").
func has(q url.Values, name string) bool {
	_, ok := q[name]
	return ok
}

func hasAny(q url.Values, names []string) bool {
	for _, n := range names {
		if has(q, n) {
			return true
		}
	}
	return false
}
