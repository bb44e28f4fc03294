package acm

import (
	"crypto/tls"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/localaws/ecsemu/internal/state"
)

// idempotencyWindow is how long RequestCertificate's IdempotencyToken
// keeps returning the same certificate.
const idempotencyWindow = time.Hour

// Store holds the certificates of one account in one region. One lock
// guards everything; reads return copies.
type Store struct {
	account, region string
	opts            Options

	mu     sync.Mutex
	certs  map[string]*certificate // by ARN
	order  []string                // ARNs by creation
	tokens map[string]issuedToken  // idempotency token → certificate
	seq    int                     // the last certificate's creation number
	// journal collects the records changed under mu (persist.go).
	journal *state.Journal
}

type issuedToken struct {
	arn string
	at  time.Time
}

// certificate is a certificate with its PEM material and key pair.
type certificate struct {
	detail types.CertificateDetail
	tags   []types.Tag
	body   string // PEM
	chain  string // PEM, "" for requested (self-signed) certificates
	pair   tls.Certificate
	key    string // the private key, PEM, for the state directory
	seq    int    // creation number: the order List shows
}

func newStore(account, region string, opts Options) *Store {
	return &Store{account: account, region: region, opts: opts, certs: map[string]*certificate{}, tokens: map[string]issuedToken{},
		journal: opts.State.Journal()}
}

// newARN is a certificate ARN with a random UUID.
func (s *Store) newARN() string {
	var b [16]byte
	_, _ = io.ReadFull(s.opts.Rand, b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%x-%x-%x-%x-%x", s.region, s.account, b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// cert finds a certificate; the caller holds the lock.
func (s *Store) cert(arn string) (*certificate, error) {
	c, ok := s.certs[arn]
	if !ok {
		return nil, errNotFound(arn)
	}
	return c, nil
}

// checkARN refuses what is not an ACM certificate ARN.
func checkARN(arn string) error {
	if _, _, ok := splitARN(arn); !ok {
		return errInvalidARN(arn)
	}
	return nil
}

// add stores a new certificate; the caller holds the lock.
func (s *Store) add(c *certificate) {
	s.seq++
	c.seq = s.seq
	s.certs[*c.detail.CertificateArn] = c
	s.order = append(s.order, *c.detail.CertificateArn)
	s.touch(*c.detail.CertificateArn)
}

// status is a certificate's status now: an issued one past NotAfter has
// expired.
func (s *Store) status(c *certificate) types.CertificateStatus {
	if c.detail.Status == types.CertificateStatusIssued && c.detail.NotAfter != nil && !s.opts.Now().Before(*c.detail.NotAfter) {
		return types.CertificateStatusExpired
	}
	return c.detail.Status
}
