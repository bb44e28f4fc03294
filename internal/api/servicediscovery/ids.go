package servicediscovery

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// ARN builders, one per resource type (spec §3.1).

func namespaceARN(region, account, id string) string {
	return fmt.Sprintf("arn:aws:servicediscovery:%s:%s:namespace/%s", region, account, id)
}

func serviceARN(region, account, id string) string {
	return fmt.Sprintf("arn:aws:servicediscovery:%s:%s:service/%s", region, account, id)
}

// parsedARN is a Cloud Map ARN taken apart.
type parsedARN struct {
	region, account string
	kind, id        string // "namespace"/"service" and the resource ID
}

// parseARN takes apart arn:aws:servicediscovery:<region>:<acct>:<kind>/<id>.
func parseARN(s string) (parsedARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "servicediscovery" {
		return parsedARN{}, false
	}
	kind, id, ok := strings.Cut(parts[5], "/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return parsedARN{}, false
	}
	return parsedARN{region: parts[3], account: parts[4], kind: kind, id: id}, true
}

// IDs generates the identifiers Cloud Map hands out. Tests may replace it.
type IDs interface {
	NamespaceID() string  // ns- + 16 [a-z0-9]
	ServiceID() string    // srv- + 16 [a-z0-9]
	OperationID() string  // 32 [a-z0-9] + "-" + 8 [a-z0-9]
	HostedZoneID() string // Z + 20 [A-Z0-9]
}

type randomIDs struct{}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// randomString draws n characters from alphabet (36 characters: the
// modulo bias of a byte is irrelevant for identifiers).
func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (randomIDs) NamespaceID() string { return "ns-" + randomString(lowerAlnum, 16) }
func (randomIDs) ServiceID() string   { return "srv-" + randomString(lowerAlnum, 16) }
func (randomIDs) OperationID() string {
	return randomString(lowerAlnum, 32) + "-" + randomString(lowerAlnum, 8)
}
func (randomIDs) HostedZoneID() string { return "Z" + randomString(upperAlnum, 20) }
