package alb

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"time"
)

// getCertificate picks the certificate of a TLS handshake: among the
// listener's certificates the one valid for the requested server name, else
// its default (first) certificate, else the fallback. Reading the current
// table lets certificate changes apply without rebinding.
func (l *listener) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	var certs []string
	if lt := l.table.Load(); lt != nil {
		certs = lt.certs
	}
	if lookup := l.s.opts.CertificateLookup; lookup != nil {
		var first *tls.Certificate
		for _, arn := range certs {
			cert, err := lookup(arn)
			if err != nil || cert == nil {
				continue
			}
			if first == nil {
				first = cert
			}
			if hello.ServerName != "" && cert.Leaf != nil && cert.Leaf.VerifyHostname(hello.ServerName) == nil {
				return cert, nil
			}
		}
		if first != nil {
			return first, nil
		}
	}
	return l.s.certificate()
}

// certificate returns Options.Certificate or, once, a self-signed one for
// localhost and the loopback addresses.
func (s *Server) certificate() (*tls.Certificate, error) {
	if s.opts.Certificate != nil {
		return s.opts.Certificate, nil
	}
	s.certOnce.Do(func() { s.cert, s.certErr = selfSigned() })
	return s.cert, s.certErr
}

func selfSigned() (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"ecsemu ALB"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
