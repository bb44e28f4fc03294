package s3

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"

	"github.com/johannesboyne/gofakes3"

	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

const xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"

// createBucket creates a bucket of account in region, marked seeded when
// seed is set. A name that exists is BucketAlreadyOwnedByYou for its owner
// (except that a seeded bucket is taken over when adopt is set) and
// BucketAlreadyExists for anyone else.
func (a *API) createBucket(account, region, name string, adopt, seed bool) error {
	if err := gofakes3.ValidateBucketName(name); err != nil || strings.ToLower(name) != name {
		return errInvalidBucketName(name)
	}
	var pending state.Pending
	defer func() { wait(pending) }() // after the unlock
	a.reg.mu.Lock()
	defer a.reg.mu.Unlock()
	if b, ok := a.reg.buckets[name]; ok {
		switch {
		case b.account != account:
			return errAlreadyExists(name)
		case b.seeded && adopt:
			b.seeded = false
			b.region = region
			pending = a.saveBucket(name)
			return nil
		}
		return errOwnedByYou(name)
	}
	if err := a.backend.CreateBucket(name); err != nil {
		return fromFake(err, name)
	}
	a.reg.buckets[name] = &bucket{name: name, account: account, region: region, created: a.opts.Now(), seeded: seed}
	pending = a.saveBucket(name)
	return nil
}

// deleteBucket deletes an empty bucket.
func (a *API) deleteBucket(name string) error {
	var pending state.Pending
	defer func() { wait(pending) }() // after the unlock
	a.reg.mu.Lock()
	defer a.reg.mu.Unlock()
	if a.reg.buckets[name] == nil {
		return errNoSuchBucket(name)
	}
	if err := a.backend.DeleteBucket(name); err != nil {
		return fromFake(err, name)
	}
	delete(a.reg.buckets, name)
	pending = a.saveBucket(name)
	return nil
}

// createBucketConfiguration is CreateBucket's optional body.
type createBucketConfiguration struct {
	LocationConstraint string `xml:"LocationConstraint"`
}

// createBucketHTTP is CreateBucket on the wire. The bucket's region is its
// LocationConstraint, else us-east-1. As on AWS, a regional endpoint
// (a request signed for a region other than us-east-1) only creates
// buckets of its own region, and "us-east-1" is never a valid constraint;
// us-east-1 itself answers 200 when the caller already owns the bucket.
func (a *API) createBucketHTTP(w http.ResponseWriter, r *http.Request, name string) {
	var cfg createBucketConfiguration
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, r, errIncompleteBody())
		return
	}
	if strings.TrimSpace(string(body)) != "" && xml.Unmarshal(body, &cfg) != nil {
		writeError(w, r, errMalformedXML())
		return
	}
	signed, account := reqctx.Region(r.Context()), reqctx.Account(r.Context())
	region := cfg.LocationConstraint
	switch {
	case region == "us-east-1":
		writeError(w, r, &Error{Code: "InvalidLocationConstraint", Message: "The specified location-constraint is not valid", Status: http.StatusBadRequest, Bucket: name})
		return
	case region == "" && signed != "us-east-1":
		writeError(w, r, illegalLocation("unspecified"))
		return
	case region != "" && signed != "us-east-1" && region != signed:
		writeError(w, r, illegalLocation(region))
		return
	case region == "" || region == "EU":
		region = map[string]string{"": "us-east-1", "EU": "eu-west-1"}[region]
	}
	err = a.createBucket(account, region, name, false, false)
	if e, ok := err.(*Error); ok && e.Code == "BucketAlreadyOwnedByYou" && region == "us-east-1" {
		err = nil // us-east-1's legacy answer
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/"+name)
	w.WriteHeader(http.StatusOK)
}

func illegalLocation(what string) error {
	return &Error{Code: "IllegalLocationConstraintException", Status: http.StatusBadRequest,
		Message: "The " + what + " location constraint is incompatible for the region specific endpoint this request was sent to."}
}

func (a *API) deleteBucketHTTP(w http.ResponseWriter, r *http.Request, name string) {
	if err := a.deleteBucket(name); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// locationConstraint is GetBucketLocation's answer: empty for us-east-1.
type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Xmlns   string   `xml:"xmlns,attr"`
	Region  string   `xml:",chardata"`
}

func (a *API) getLocation(w http.ResponseWriter, r *http.Request, name string) {
	b, ok := a.reg.get(name)
	if !ok {
		writeError(w, r, errNoSuchBucket(name))
		return
	}
	lc := locationConstraint{Xmlns: xmlns, Region: b.region}
	if b.region == "us-east-1" {
		lc.Region = ""
	}
	writeXML(w, r, lc)
}
