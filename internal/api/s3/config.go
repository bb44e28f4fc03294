package s3

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Bucket configurations gofakes3 does not keep: policy, tagging and
// default encryption, stored as put and answered as S3 answers them. They
// are records only: no policy is enforced and no object is encrypted.

// maxBucketTags is S3's limit of tags on a bucket.
const maxBucketTags = 50

func errMethodNotAllowed() error {
	return &Error{Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource.", Status: http.StatusMethodNotAllowed}
}

// configRequest reads the body of a configuration PUT of an existing
// bucket, or answers the error itself (false).
func (a *API) configRequest(w http.ResponseWriter, r *http.Request, name string) ([]byte, bool) {
	if _, ok := a.reg.get(name); !ok {
		writeError(w, r, errNoSuchBucket(name))
		return nil, false
	}
	switch r.Method {
	case http.MethodGet, http.MethodDelete:
		return nil, true
	case http.MethodPut:
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, r, errIncompleteBody())
			return nil, false
		}
		return body, true
	}
	writeError(w, r, errMethodNotAllowed())
	return nil, false
}

func (a *API) servePolicy(w http.ResponseWriter, r *http.Request, name string) {
	body, ok := a.configRequest(w, r, name)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		b, _ := a.reg.get(name)
		if b.policy == "" {
			writeError(w, r, &Error{Code: "NoSuchBucketPolicy", Message: "The bucket policy does not exist", Status: http.StatusNotFound, Bucket: name})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, b.policy)
	case http.MethodPut:
		if err := a.PutBucketPolicy(name, string(body)); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		a.reg.update(name, func(b *bucket) { b.policy = "" })
		w.WriteHeader(http.StatusNoContent)
	}
}

// validPolicy checks what S3 checks of a policy document here: that it is
// a JSON object.
func validPolicy(policy string) error {
	var doc map[string]any
	if !strings.HasPrefix(strings.TrimSpace(policy), "{") || json.Unmarshal([]byte(policy), &doc) != nil {
		return &Error{Code: "MalformedPolicy", Message: "Policies must be valid JSON and the first byte must be '{'", Status: http.StatusBadRequest}
	}
	return nil
}

// tagging is the Tagging document of PutBucketTagging/GetBucketTagging.
type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

func (a *API) serveTagging(w http.ResponseWriter, r *http.Request, name string) {
	body, ok := a.configRequest(w, r, name)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		b, _ := a.reg.get(name)
		if len(b.tags) == 0 {
			writeError(w, r, &Error{Code: "NoSuchTagSet", Message: "The TagSet does not exist", Status: http.StatusNotFound, Bucket: name})
			return
		}
		writeXML(w, r, tagging{Xmlns: xmlns, TagSet: b.tags})
	case http.MethodPut:
		var doc tagging
		if xml.Unmarshal(body, &doc) != nil {
			writeError(w, r, errMalformedXML())
			return
		}
		if err := validBucketTags(doc.TagSet); err != nil {
			writeError(w, r, err)
			return
		}
		a.reg.update(name, func(b *bucket) { b.tags = doc.TagSet })
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		a.reg.update(name, func(b *bucket) { b.tags = nil })
		w.WriteHeader(http.StatusNoContent)
	}
}

func validBucketTags(tags []tag) error {
	invalid := func(msg string) error { return &Error{Code: "InvalidTag", Message: msg, Status: http.StatusBadRequest} }
	if len(tags) > maxBucketTags {
		return invalid("Bucket tag count cannot be greater than 50")
	}
	var keys []string
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > 128:
			return invalid("The TagKey you have provided is invalid")
		case len(t.Value) > 256:
			return invalid("The TagValue you have provided is invalid")
		case slices.Contains(keys, t.Key):
			return invalid("Cannot provide multiple Tags with the same key")
		}
		keys = append(keys, t.Key)
	}
	return nil
}

// encryptionConfiguration is enough of ServerSideEncryptionConfiguration
// to check a put.
type encryptionConfiguration struct {
	Rules []struct {
		Algorithm string `xml:"ApplyServerSideEncryptionByDefault>SSEAlgorithm"`
	} `xml:"Rule"`
}

func (a *API) serveEncryption(w http.ResponseWriter, r *http.Request, name string) {
	body, ok := a.configRequest(w, r, name)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		b, _ := a.reg.get(name)
		if b.encryption == nil {
			writeError(w, r, &Error{Code: "ServerSideEncryptionConfigurationNotFoundError", Status: http.StatusNotFound, Bucket: name,
				Message: "The server side encryption configuration was not found"})
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write(b.encryption)
	case http.MethodPut:
		var cfg encryptionConfiguration
		if xml.Unmarshal(body, &cfg) != nil || len(cfg.Rules) == 0 {
			writeError(w, r, errMalformedXML())
			return
		}
		for _, rule := range cfg.Rules {
			if !slices.Contains([]string{"AES256", "aws:kms", "aws:kms:dsse"}, rule.Algorithm) {
				writeError(w, r, errMalformedXML())
				return
			}
		}
		doc := []byte(strings.TrimSpace(string(body)))
		if !strings.HasPrefix(string(doc), "<?xml") {
			doc = append([]byte(xml.Header), doc...)
		}
		a.reg.update(name, func(b *bucket) { b.encryption = doc })
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		a.reg.update(name, func(b *bucket) { b.encryption = nil })
		w.WriteHeader(http.StatusNoContent)
	}
}
