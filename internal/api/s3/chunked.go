package s3

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxUpload bounds a request body the API reads into memory (PutObject,
// UploadPart): objects here are templates and assets, not data sets.
const maxUpload = 512 << 20

// isAWSChunked reports whether a request body uses the aws-chunked
// encoding newer SDKs stream with (signed chunks, or unsigned chunks with
// a checksum trailer). gofakes3 decodes only the signed form without
// trailers.
func isAWSChunked(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") ||
		strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked")
}

// normaliseBody reads an upload into memory, decodes aws-chunked framing,
// verifies the x-amz-checksum-* the client sent (header or trailer), and
// leaves the request as a plain body with an exact Content-Length and
// without the transfer headers gofakes3 would otherwise store as object
// metadata and echo back.
func normaliseBody(r *http.Request) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxUpload+1))
	_ = r.Body.Close()
	if err != nil {
		return errIncompleteBody()
	}
	if len(raw) > maxUpload {
		return errTooLarge()
	}
	body, trailers := raw, http.Header{}
	if isAWSChunked(r) {
		if body, trailers, err = decodeChunked(raw); err != nil {
			return err
		}
	}
	if err := verifyChecksums(body, r.Header, trailers); err != nil {
		return err
	}
	for _, h := range []string{"X-Amz-Content-Sha256", "X-Amz-Decoded-Content-Length", "X-Amz-Trailer",
		"X-Amz-Sdk-Checksum-Algorithm", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-User-Agent"} {
		r.Header.Del(h)
	}
	for h := range r.Header {
		if strings.HasPrefix(h, "X-Amz-Checksum-") {
			r.Header.Del(h)
		}
	}
	dropAWSChunked(r.Header)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	r.TransferEncoding = nil
	return nil
}

// dropAWSChunked removes aws-chunked from Content-Encoding, which then
// names only the object's own encoding, if any.
func dropAWSChunked(h http.Header) {
	var keep []string
	for _, enc := range strings.Split(h.Get("Content-Encoding"), ",") {
		if enc = strings.TrimSpace(enc); enc != "" && enc != "aws-chunked" {
			keep = append(keep, enc)
		}
	}
	if len(keep) == 0 {
		h.Del("Content-Encoding")
		return
	}
	h.Set("Content-Encoding", strings.Join(keep, ","))
}

// decodeChunked decodes "<hex size>[;chunk-signature=…]\r\n<data>\r\n"
// chunks up to the zero-size one, then the trailer lines
// ("x-amz-checksum-crc32:…") up to an empty line or the end.
func decodeChunked(raw []byte) ([]byte, http.Header, error) {
	rd := bufio.NewReader(bytes.NewReader(raw))
	var out bytes.Buffer
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return nil, nil, errIncompleteBody()
		}
		sizeText, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, err := strconv.ParseInt(sizeText, 16, 64)
		if err != nil || size < 0 || size > int64(len(raw)) {
			return nil, nil, errIncompleteBody()
		}
		if size == 0 {
			break
		}
		if _, err := io.CopyN(&out, rd, size); err != nil {
			return nil, nil, errIncompleteBody()
		}
		if crlf, err := rd.ReadString('\n'); err != nil || strings.TrimSpace(crlf) != "" {
			return nil, nil, errIncompleteBody()
		}
	}
	trailers := http.Header{}
	for {
		line, err := rd.ReadString('\n')
		line = strings.TrimSpace(line)
		if name, value, ok := strings.Cut(line, ":"); ok {
			trailers.Set(strings.TrimSpace(name), strings.TrimSpace(value))
		}
		if err != nil || line == "" {
			return out.Bytes(), trailers, nil
		}
	}
}

// checksums are the x-amz-checksum-* algorithms verified here (CRC64NVME
// is accepted unverified).
var checksums = []struct {
	header, name string
	hash         func() hash.Hash
}{
	{"X-Amz-Checksum-Sha256", "SHA256", sha256.New},
	{"X-Amz-Checksum-Sha1", "SHA1", sha1.New},
	{"X-Amz-Checksum-Crc32", "CRC32", func() hash.Hash { return crc32.NewIEEE() }},
	{"X-Amz-Checksum-Crc32c", "CRC32C", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
}

func verifyChecksums(body []byte, headers, trailers http.Header) error {
	for _, c := range checksums {
		want := headers.Get(c.header)
		if want == "" {
			want = trailers.Get(c.header)
		}
		if want == "" {
			continue
		}
		h := c.hash()
		h.Write(body)
		if base64.StdEncoding.EncodeToString(h.Sum(nil)) != want {
			return errBadDigest(c.name)
		}
	}
	return nil
}
