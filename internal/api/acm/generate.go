package acm

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// validity is how long ACM's certificates are valid (395 days).
const validity = 395 * 24 * time.Hour

// newKey generates a private key of one of ACM's key algorithms.
func newKey(r io.Reader, alg types.KeyAlgorithm) (crypto.Signer, error) {
	switch alg {
	case types.KeyAlgorithmEcPrime256v1:
		return ecdsa.GenerateKey(elliptic.P256(), r)
	case types.KeyAlgorithmEcSecp384r1:
		return ecdsa.GenerateKey(elliptic.P384(), r)
	case types.KeyAlgorithmEcSecp521r1:
		return ecdsa.GenerateKey(elliptic.P521(), r)
	case types.KeyAlgorithmRsa3072:
		return rsa.GenerateKey(r, 3072)
	case types.KeyAlgorithmRsa4096:
		return rsa.GenerateKey(r, 4096)
	}
	return rsa.GenerateKey(r, 2048)
}

// selfSigned creates the certificate of a request: subject CN the domain,
// every name in the SAN extension, valid from now for validity.
func selfSigned(r io.Reader, names []string, alg types.KeyAlgorithm, now time.Time) (string, tls.Certificate, *x509.Certificate, error) {
	key, err := newKey(r, alg)
	if err != nil {
		return "", tls.Certificate{}, nil, err
	}
	serial, err := randSerial(r)
	if err != nil {
		return "", tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: names[0]},
		DNSNames:              names,
		NotBefore:             now,
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(r, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return "", tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return "", tls.Certificate{}, nil, err
	}
	body := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return body, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, nil
}

func randSerial(r io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	b[0] &= 0x7f
	return new(big.Int).SetBytes(b), nil
}
