package alb

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http"
	"testing"
	"time"
)

// certFor is a self-signed certificate for names, with its Leaf parsed as
// ACM's lookup returns it.
func certFor(t *testing.T, names ...string) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func TestHTTPSListenerServesTheCertificateForTheServerName(t *testing.T) {
	certs := map[string]*tls.Certificate{
		"arn:cert/default": certFor(t, "api.example.com"),
		"arn:cert/admin":   certFor(t, "admin.example.com", "*.admin.example.com"),
	}
	s := newServer(t, Options{CertificateLookup: func(arn string) (*tls.Certificate, error) {
		if c, ok := certs[arn]; ok {
			return c, nil
		}
		return nil, errors.New("no such certificate")
	}})
	echo := newBackend(t, "echo", nil)
	snap := oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{echo.target()}})
	snap.LoadBalancers[0].Listeners[0].Protocol = "HTTPS"
	snap.LoadBalancers[0].Listeners[0].Certificates = []string{"arn:cert/missing", "arn:cert/default", "arn:cert/admin"}
	mustUpdate(t, s, snap)
	addr, _ := s.ListenerAddr("l-1")
	for _, tc := range []struct{ serverName, wantCN string }{
		{"api.example.com", "api.example.com"},
		{"x.admin.example.com", "admin.example.com"},
		{"other.example.com", "api.example.com"}, // the default certificate
	} {
		conn, err := tls.Dial("tcp", addr, &tls.Config{ServerName: tc.serverName, InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		got := conn.ConnectionState().PeerCertificates[0].Subject.CommonName
		conn.Close()
		if got != tc.wantCN {
			t.Errorf("server name %s: certificate %s, want %s", tc.serverName, got, tc.wantCN)
		}
	}
	// Without a known certificate the listener still serves (self-signed).
	snap.LoadBalancers[0].Listeners[0].Certificates = []string{"arn:cert/missing"}
	mustUpdate(t, s, snap)
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	defer tr.CloseIdleConnections()
	if code, _, _ := get(t, &http.Client{Transport: tr}, "https://"+addr); code != 200 {
		t.Errorf("fallback certificate: status %d", code)
	}
}
