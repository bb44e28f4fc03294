package s3

import (
	"encoding/xml"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/localaws/ecsemu/internal/reqctx"
)

// listAllMyBuckets is ListBuckets' answer.
type listAllMyBuckets struct {
	XMLName xml.Name     `xml:"ListAllMyBucketsResult"`
	Xmlns   string       `xml:"xmlns,attr"`
	Owner   owner        `xml:"Owner"`
	Buckets []bucketInfo `xml:"Buckets>Bucket"`
	Prefix  string       `xml:"Prefix,omitempty"`
}

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

type bucketInfo struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

// listBuckets answers ListBuckets from the registry: the caller's buckets
// in name order, as AWS lists them, with their regions, filtered by the
// prefix and bucket-region parameters (every bucket fits one page).
func (a *API) listBuckets(w http.ResponseWriter, r *http.Request) {
	account := reqctx.Account(r.Context())
	q := r.URL.Query()
	out := listAllMyBuckets{Xmlns: xmlns, Owner: owner{ID: account, DisplayName: account}, Buckets: []bucketInfo{}, Prefix: q.Get("prefix")}
	a.reg.mu.Lock()
	for _, b := range a.reg.buckets {
		if b.account != account || !strings.HasPrefix(b.name, q.Get("prefix")) || (q.Get("bucket-region") != "" && q.Get("bucket-region") != b.region) {
			continue
		}
		out.Buckets = append(out.Buckets, bucketInfo{Name: b.name, CreationDate: b.created.UTC().Format(time.RFC3339), BucketRegion: b.region})
	}
	a.reg.mu.Unlock()
	sort.Slice(out.Buckets, func(i, j int) bool { return out.Buckets[i].Name < out.Buckets[j].Name })
	writeXML(w, r, out)
}
