package s3

import (
	"net"
	"strings"
)

// hostBucket is the bucket a virtual-host-style request names in its Host:
// "<bucket>.s3.<region>.amazonaws.com", "<bucket>.s3.amazonaws.com",
// "<bucket>.s3-<region>.amazonaws.com" and the like, or
// "<bucket>.localhost" (what SDKs build from http://localhost:4566). An IP
// address or a bare name is path-style ("").
func hostBucket(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return ""
	}
	if i := max(strings.LastIndex(host, ".s3."), strings.LastIndex(host, ".s3-")); i > 0 {
		return host[:i]
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok {
		return b
	}
	return ""
}

// splitPath returns the bucket and key of a path-style path.
func splitPath(path string) (bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return bucket, key
}
