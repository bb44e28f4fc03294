package acm

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// ImportCertificate stores a certificate and key as uploaded, or replaces
// the material of an imported certificate named by CertificateArn (its
// ARN and tags stay).
func (s *Store) ImportCertificate(_ context.Context, in *acm.ImportCertificateInput) (*acm.ImportCertificateOutput, error) {
	var v violations
	if len(in.Certificate) == 0 {
		v.Add("null", "certificate", "Member must not be null")
	}
	if len(in.PrivateKey) == 0 {
		v.Add("null", "privateKey", "Member must not be null")
	}
	if in.CertificateArn != nil {
		v.Length(in.CertificateArn, "certificateArn", 20, 2048)
	}
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.CertificateArn != nil && len(in.Tags) > 0 {
		return nil, errValidation("Tags can't be specified when reimporting a certificate.")
	}
	pair, leaf, err := parsePair(in.Certificate, in.PrivateKey)
	if err != nil {
		return nil, err
	}
	appendChain(&pair, in.CertificateChain)
	s.mu.Lock()
	defer s.unlock()
	arn := s.newARN()
	tags := mergeTags(nil, in.Tags)
	if in.CertificateArn != nil {
		if err := checkARN(*in.CertificateArn); err != nil {
			return nil, err
		}
		old, err := s.cert(*in.CertificateArn)
		if err != nil {
			return nil, err
		}
		if old.detail.Type != types.CertificateTypeImported {
			return nil, errValidation("Certificate %s is not an imported certificate.", *in.CertificateArn)
		}
		arn, tags = *in.CertificateArn, old.tags
	}
	c := &certificate{body: string(in.Certificate), chain: string(in.CertificateChain), pair: pair, key: string(in.PrivateKey), tags: tags}
	c.detail = s.detail(arn, leaf, keyAlgorithm(leaf))
	c.detail.Type = types.CertificateTypeImported
	c.detail.Issuer = ptr(leaf.Issuer.CommonName)
	c.detail.ImportedAt = ptr(s.opts.Now().UTC().Truncate(1e9))
	if old, ok := s.certs[arn]; ok {
		c.detail.CreatedAt = old.detail.CreatedAt
		c.seq = old.seq
		s.certs[arn] = c
		s.touch(arn)
	} else {
		s.add(c)
	}
	return &acm.ImportCertificateOutput{CertificateArn: ptr(arn)}, nil
}

// parsePair decodes a PEM certificate and its private key.
func parsePair(cert, key []byte) (tls.Certificate, *x509.Certificate, error) {
	block, _ := pem.Decode(cert)
	if block == nil || block.Type != "CERTIFICATE" {
		return tls.Certificate{}, nil, errValidation("Could not decode the certificate. Make sure it is PEM encoded.")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return tls.Certificate{}, nil, errValidation("Could not parse the certificate: %v", err)
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		return tls.Certificate{}, nil, errValidation("The private key is not supported or does not match the public key in the certificate.")
	}
	pair.Leaf = leaf
	return pair, leaf, nil
}

// appendChain adds the DER certificates of a PEM chain to pair, which then
// serves the whole chain.
func appendChain(pair *tls.Certificate, chain []byte) {
	for {
		var block *pem.Block
		block, chain = pem.Decode(chain)
		if block == nil {
			return
		}
		if block.Type == "CERTIFICATE" {
			pair.Certificate = append(pair.Certificate, block.Bytes)
		}
	}
}

// keyAlgorithm names a certificate's public key as ACM does.
func keyAlgorithm(leaf *x509.Certificate) types.KeyAlgorithm {
	switch k := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		return types.KeyAlgorithm(fmt.Sprintf("RSA_%d", k.N.BitLen()))
	case *ecdsa.PublicKey:
		switch k.Curve.Params().BitSize {
		case 256:
			return types.KeyAlgorithmEcPrime256v1
		case 384:
			return types.KeyAlgorithmEcSecp384r1
		case 521:
			return types.KeyAlgorithmEcSecp521r1
		}
	}
	return types.KeyAlgorithmRsa2048
}
