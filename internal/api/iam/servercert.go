package iam

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// serverCert is an uploaded certificate with its private key, which IAM
// never returns but the ALB needs to serve it.
type serverCert struct {
	meta  types.ServerCertificateMetadata
	body  string
	chain *string
	tags  []types.Tag
	pair  tls.Certificate
	key   string // the private key as uploaded, for the state directory
}

// UploadServerCertificate stores a PEM certificate and its private key.
func (s *Store) UploadServerCertificate(_ context.Context, in *iam.UploadServerCertificateInput) (*iam.UploadServerCertificateOutput, error) {
	var v violations
	v.name(in.ServerCertificateName, "serverCertificateName", 128)
	v.path(in.Path, "path")
	v.Required(in.CertificateBody, "certificateBody")
	v.Length(in.CertificateBody, "certificateBody", 1, 16384)
	v.Required(in.PrivateKey, "privateKey")
	v.Length(in.PrivateKey, "privateKey", 1, 16384)
	v.Length(in.CertificateChain, "certificateChain", 1, 2097152)
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	pair, leaf, err := parseKeyPair(*in.CertificateBody, *in.PrivateKey)
	if err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := *in.ServerCertificateName
	if _, ok := s.certs[key(name)]; ok {
		return nil, errExists("The Server Certificate with name %s already exists.", name)
	}
	path := pathOr(in.Path)
	c := &serverCert{
		meta: types.ServerCertificateMetadata{
			Arn:                   ptr(s.arn("server-certificate", path, name)),
			Path:                  ptr(path),
			ServerCertificateId:   ptr(s.newID(certPrefix)),
			ServerCertificateName: ptr(name),
			Expiration:            ptr(leaf.NotAfter.UTC()),
			UploadDate:            s.timestamp(),
		},
		body: strings.TrimSpace(*in.CertificateBody), chain: in.CertificateChain, tags: tags, pair: pair, key: *in.PrivateKey,
	}
	s.certs[key(name)] = c
	s.touch(kindCert, key(name))
	meta := clone.Of(c.meta)
	return &iam.UploadServerCertificateOutput{ServerCertificateMetadata: &meta, Tags: clone.Of(tags)}, nil
}

// parseKeyPair checks that body is a PEM certificate and key its private
// key, with IAM's errors.
func parseKeyPair(body, key string) (tls.Certificate, *x509.Certificate, error) {
	block, _ := pem.Decode([]byte(body))
	if block == nil || block.Type != "CERTIFICATE" {
		return tls.Certificate{}, nil, &types.MalformedCertificateException{Message: ptr("Unable to parse certificate. Please ensure the certificate is in PEM format.")}
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return tls.Certificate{}, nil, &types.MalformedCertificateException{Message: ptr("Unable to parse certificate. Please ensure the certificate is in PEM format.")}
	}
	pair, err := tls.X509KeyPair([]byte(body), []byte(key))
	if err != nil {
		if kb, _ := pem.Decode([]byte(key)); kb == nil {
			return tls.Certificate{}, nil, &types.MalformedCertificateException{Message: ptr("Unable to parse private key.")}
		}
		return tls.Certificate{}, nil, &types.KeyPairMismatchException{Message: ptr("Certificate and private key do not match")}
	}
	pair.Leaf = leaf
	return pair, leaf, nil
}

// cert finds a server certificate; the caller holds the lock.
func (s *Store) cert(name string) (*serverCert, error) {
	c, ok := s.certs[key(name)]
	if !ok {
		return nil, errNoSuchEntity("The Server Certificate with name %s cannot be found.", name)
	}
	return c, nil
}

// GetServerCertificate returns a certificate (never its key).
func (s *Store) GetServerCertificate(_ context.Context, in *iam.GetServerCertificateInput) (*iam.GetServerCertificateOutput, error) {
	var v violations
	v.name(in.ServerCertificateName, "serverCertificateName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.ServerCertificateName)
	if err != nil {
		return nil, err
	}
	meta := clone.Of(c.meta)
	return &iam.GetServerCertificateOutput{ServerCertificate: &types.ServerCertificate{
		CertificateBody: ptr(c.body), ServerCertificateMetadata: &meta, CertificateChain: clone.Of(c.chain), Tags: clone.Of(c.tags),
	}}, nil
}

// ListServerCertificates lists certificates by name under a path prefix.
func (s *Store) ListServerCertificates(_ context.Context, in *iam.ListServerCertificatesInput) (*iam.ListServerCertificatesOutput, error) {
	var v violations
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	list := []types.ServerCertificateMetadata{}
	for _, c := range s.certs {
		if strings.HasPrefix(*c.meta.Path, deref(in.PathPrefix)) {
			list = append(list, clone.Of(c.meta))
		}
	}
	s.unlock()
	sort.Slice(list, func(i, j int) bool { return *list[i].ServerCertificateName < *list[j].ServerCertificateName })
	items, truncated, marker, err := page(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListServerCertificatesOutput{ServerCertificateMetadataList: items, IsTruncated: truncated, Marker: marker}, nil
}

// DeleteServerCertificate deletes a certificate.
func (s *Store) DeleteServerCertificate(_ context.Context, in *iam.DeleteServerCertificateInput) (*iam.DeleteServerCertificateOutput, error) {
	var v violations
	v.name(in.ServerCertificateName, "serverCertificateName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if _, err := s.cert(*in.ServerCertificateName); err != nil {
		return nil, err
	}
	s.touch(kindCert, key(*in.ServerCertificateName))
	delete(s.certs, key(*in.ServerCertificateName))
	return &iam.DeleteServerCertificateOutput{}, nil
}

// serverCertByARN finds a certificate by ARN; the caller holds the lock.
func (s *Store) serverCertByARN(arn string) (*serverCert, bool) {
	for _, c := range s.certs {
		if *c.meta.Arn == arn {
			return c, true
		}
	}
	return nil, false
}
