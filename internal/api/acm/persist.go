package acm

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// Persistence. A region keeps one record per certificate, under
// "<account>/<region>/cert/<ARN>": its detail, tags, PEM body, chain and
// private key, its place in the creation order and the idempotency
// tokens that issued it (so that a retried request after a restart gets
// the same certificate within the hour). Changes are marked with touch
// under the store's lock; unlock writes them and waits for the store
// before the operation answers. ARNs are random: none is reused.

const kindCert = "cert"

type certJSON struct {
	Detail     types.CertificateDetail
	Tags       []types.Tag `json:",omitempty"`
	Body       string
	Chain      string `json:",omitempty"`
	PrivateKey string
	Seq        int
	Tokens     map[string]time.Time `json:",omitempty"`
}

// keyPEM is a private key as PEM (PKCS #8), as the state directory keeps
// it.
func keyPEM(key any) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

func (s *Store) certKey(arn string) string {
	return s.account + "/" + s.region + "/" + kindCert + "/" + arn
}

// touch marks a certificate's record changed (created, updated or
// deleted).
func (s *Store) touch(arn string) { s.journal.Touch(s.certKey(arn)) }

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		slog.Default().Error("acm: state not saved", "region", s.region, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(key string) (any, bool) {
	arn := strings.SplitN(key, "/", 4)[3]
	c, ok := s.certs[arn]
	if !ok {
		return nil, false
	}
	out := certJSON{Detail: c.detail, Tags: c.tags, Body: c.body, Chain: c.chain, PrivateKey: c.key, Seq: c.seq}
	for tok, t := range s.tokens {
		if t.arn == arn {
			if out.Tokens == nil {
				out.Tokens = map[string]time.Time{}
			}
			out.Tokens[tok] = t.at
		}
	}
	return out, true
}

// Restore loads every region's certificates, replacing what the API
// holds.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.stores.Reset()
	err := a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) != 4 || parts[2] != kindCert {
			return fmt.Errorf("unexpected key")
		}
		var r certJSON
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		pair, _, err := parsePair([]byte(r.Body), []byte(r.PrivateKey))
		if err != nil {
			return err
		}
		appendChain(&pair, []byte(r.Chain))
		s := a.stores.Get(parts[0], parts[1])
		arn := parts[3]
		s.certs[arn] = &certificate{detail: r.Detail, tags: r.Tags, body: r.Body, chain: r.Chain, pair: pair, key: r.PrivateKey, seq: r.Seq}
		s.order = append(s.order, arn)
		s.seq = max(s.seq, r.Seq)
		for tok, at := range r.Tokens {
			s.tokens[tok] = issuedToken{arn: arn, at: at}
		}
		return nil
	})
	for _, s := range a.stores.All() {
		sort.Slice(s.order, func(i, j int) bool { return s.certs[s.order[i]].seq < s.certs[s.order[j]].seq })
	}
	return err
}
