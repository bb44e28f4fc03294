package acm_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

var arnRe = regexp.MustCompile(`^arn:aws:acm:us-east-1:000000000000:certificate/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRequestCertificateIsIssuedAtOnce(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	arn := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{
		DomainName: ptr("www.example.com"), SubjectAlternativeNames: []string{"*.example.com", "www.example.com"},
		KeyAlgorithm: types.KeyAlgorithmEcPrime256v1, ValidationMethod: types.ValidationMethodDns, IdempotencyToken: ptr("tok1"),
		Tags: []types.Tag{{Key: ptr("env"), Value: ptr("dev")}},
	})).CertificateArn
	if !arnRe.MatchString(arn) {
		t.Fatalf("ARN %s", arn)
	}
	d := must(e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &arn})).Certificate
	if d.Status != types.CertificateStatusIssued || d.Type != types.CertificateTypeAmazonIssued || *d.DomainName != "www.example.com" ||
		!slices.Equal(d.SubjectAlternativeNames, []string{"www.example.com", "*.example.com"}) || !d.NotAfter.Equal(e.clock.Now().Add(395*24*time.Hour)) {
		t.Fatalf("detail %+v", d)
	}
	if len(d.DomainValidationOptions) != 2 {
		t.Fatalf("validations %+v", d.DomainValidationOptions)
	}
	for _, dv := range d.DomainValidationOptions {
		rr := dv.ResourceRecord
		if dv.ValidationStatus != types.DomainStatusSuccess || rr == nil || rr.Type != types.RecordTypeCname ||
			!strings.HasSuffix(*rr.Name, ".example.com.") || !strings.HasSuffix(*rr.Value, ".acm-validations.aws.") {
			t.Fatalf("validation %+v", dv)
		}
	}
	// The same idempotency token within the hour is the same certificate.
	again := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr("www.example.com"), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1, IdempotencyToken: ptr("tok1")})).CertificateArn
	if again != arn {
		t.Fatalf("idempotent request gave %s", again)
	}
	e.clock.Advance(2 * time.Hour)
	if later := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr("www.example.com"), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1, IdempotencyToken: ptr("tok1")})).CertificateArn; later == arn {
		t.Fatal("token reused after its hour")
	}

	// GetCertificate is the PEM that TLSCertificate serves.
	got := must(e.c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: &arn}))
	block, _ := pem.Decode([]byte(*got.Certificate))
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil || leaf.VerifyHostname("api.example.com") != nil || leaf.VerifyHostname("www.example.com") != nil {
		t.Fatalf("certificate: %v", err)
	}
	pair, err := e.api.TLSCertificate(arn)
	if err != nil || pair.Leaf.SerialNumber.Cmp(leaf.SerialNumber) != 0 {
		t.Fatalf("TLSCertificate = %v, %v", pair, err)
	}
	serveTLS(t, pair, "www.example.com", e.clock.Now())
}

// serveTLS completes a TLS handshake with pair for name.
func serveTLS(t *testing.T, pair *tls.Certificate, name string, now time.Time) {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{*pair}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_ = c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	pool := x509.NewCertPool()
	pool.AddCert(pair.Leaf)
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: name, Time: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	c.Close()
}

func TestListCertificatesFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	rsa := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr("rsa.example.com")})).CertificateArn
	for _, d := range []string{"a.example.com", "b.example.com", "c.example.com"} {
		must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr(d), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1}))
	}
	// By default ACM lists RSA_2048 certificates only.
	def := must(e.c.ListCertificates(ctx, &acm.ListCertificatesInput{})).CertificateSummaryList
	if len(def) != 1 || *def[0].CertificateArn != rsa || def[0].KeyAlgorithm != types.KeyAlgorithmRsa2048 {
		t.Fatalf("default listing %+v", def)
	}
	var domains []string
	p := acm.NewListCertificatesPaginator(e.c, &acm.ListCertificatesInput{MaxItems: ptr(int32(2)), Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{types.KeyAlgorithmEcPrime256v1}}})
	for p.HasMorePages() {
		for _, s := range must(p.NextPage(ctx)).CertificateSummaryList {
			domains = append(domains, *s.DomainName)
		}
	}
	if strings.Join(domains, ",") != "a.example.com,b.example.com,c.example.com" {
		t.Fatalf("EC listing %v", domains)
	}
	none := must(e.c.ListCertificates(ctx, &acm.ListCertificatesInput{CertificateStatuses: []types.CertificateStatus{types.CertificateStatusExpired}})).CertificateSummaryList
	if len(none) != 0 {
		t.Fatalf("expired %+v", none)
	}
	e.clock.Advance(400 * 24 * time.Hour)
	expired := must(e.c.ListCertificates(ctx, &acm.ListCertificatesInput{CertificateStatuses: []types.CertificateStatus{types.CertificateStatusExpired}})).CertificateSummaryList
	if len(expired) != 1 {
		t.Fatalf("after 400 days, expired %+v", expired)
	}
	_, err := e.c.ListCertificates(ctx, &acm.ListCertificatesInput{NextToken: ptr("bogus")})
	apiError(t, err, "InvalidArgsException", "")
}

func TestDeleteCertificate(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	arn := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr("x.example.com"), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1})).CertificateArn
	e.inUse.Store(arn, true)
	if s := must(e.c.ListCertificates(ctx, &acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{types.KeyAlgorithmEcPrime256v1}}})).CertificateSummaryList; !*s[0].InUse {
		t.Fatal("summary not in use")
	}
	_, err := e.c.DeleteCertificate(ctx, &acm.DeleteCertificateInput{CertificateArn: &arn})
	apiError(t, err, "ResourceInUseException", "Certificate "+arn+" in account "+account+" is in use.")
	e.inUse.Delete(arn)
	must(e.c.DeleteCertificate(ctx, &acm.DeleteCertificateInput{CertificateArn: &arn}))
	_, err = e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &arn})
	apiError(t, err, "ResourceNotFoundException", "Could not find certificate "+arn+".")
	_, err = e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: ptr("arn:aws:iam::000000000000:server-certificate/x")})
	apiError(t, err, "InvalidArnException", "")
}

func TestRequestCertificateValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name    string
		in      acm.RequestCertificateInput
		message string
	}{
		{"one label", acm.RequestCertificateInput{DomainName: ptr("localhost")}, "1 validation error detected: Value 'localhost' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: "},
		{"leading hyphen", acm.RequestCertificateInput{DomainName: ptr("-a.example.com")}, "1 validation error detected: Value '-a.example.com' at 'domainName'"},
		{"bad SAN", acm.RequestCertificateInput{DomainName: ptr("a.example.com"), SubjectAlternativeNames: []string{"a b.com"}}, "1 validation error detected: Value 'a b.com' at 'subjectAlternativeNames'"},
		{"token pattern", acm.RequestCertificateInput{DomainName: ptr("a.example.com"), IdempotencyToken: ptr("a-b")}, `1 validation error detected: Value 'a-b' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \w+`},
		{"too long", acm.RequestCertificateInput{DomainName: ptr(strings.Repeat("a", 250) + ".com")}, "1 validation error detected: Value '" + strings.Repeat("a", 250) + ".com' at 'domainName' failed to satisfy constraint: Member must have length less than or equal to 253"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.RequestCertificate(t.Context(), &tc.in)
			apiError(t, err, "ValidationException", "")
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("message %v, want %q", err, tc.message)
			}
		})
	}
}

func TestImportCertificate(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	body, key := pemPair(t, "imported.example.com")
	arn := *must(e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: body, PrivateKey: key, Tags: []types.Tag{{Key: ptr("k"), Value: ptr("v")}}})).CertificateArn
	d := must(e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &arn})).Certificate
	if d.Type != types.CertificateTypeImported || *d.DomainName != "imported.example.com" || d.KeyAlgorithm != types.KeyAlgorithmEcPrime256v1 || d.ImportedAt == nil {
		t.Fatalf("detail %+v", d)
	}
	// Reimport keeps the ARN and the tags.
	body2, key2 := pemPair(t, "imported.example.com")
	if again := *must(e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{CertificateArn: &arn, Certificate: body2, PrivateKey: key2})).CertificateArn; again != arn {
		t.Fatalf("reimport ARN %s", again)
	}
	if tags := must(e.c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: &arn})).Tags; len(tags) != 1 {
		t.Fatalf("tags after reimport %+v", tags)
	}
	if got := *must(e.c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: &arn})).Certificate; got != string(body2) {
		t.Fatal("GetCertificate is not the reimported body")
	}
	_, err := e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: body, PrivateKey: key2})
	apiError(t, err, "ValidationException", "The private key is not supported or does not match the public key in the certificate.")
	_, err = e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: []byte("nope"), PrivateKey: key})
	apiError(t, err, "ValidationException", "Could not decode the certificate. Make sure it is PEM encoded.")
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	arn := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: ptr("t.example.com"), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1})).CertificateArn
	must(e.c.AddTagsToCertificate(ctx, &acm.AddTagsToCertificateInput{CertificateArn: &arn, Tags: []types.Tag{{Key: ptr("a"), Value: ptr("1")}, {Key: ptr("b"), Value: ptr("2")}, {Key: ptr("c")}}}))
	must(e.c.RemoveTagsFromCertificate(ctx, &acm.RemoveTagsFromCertificateInput{CertificateArn: &arn, Tags: []types.Tag{{Key: ptr("a"), Value: ptr("other")}, {Key: ptr("b")}}}))
	tags := must(e.c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: &arn})).Tags
	if len(tags) != 2 || *tags[0].Key != "a" || *tags[1].Key != "c" || tags[1].Value != nil {
		t.Fatalf("tags %+v", tags)
	}
	many := make([]types.Tag, 49)
	for i := range many {
		many[i] = types.Tag{Key: ptr(strings.Repeat("k", i+1))}
	}
	_, err := e.c.AddTagsToCertificate(ctx, &acm.AddTagsToCertificateInput{CertificateArn: &arn, Tags: many})
	apiError(t, err, "TooManyTagsException", "")
}

// pemPair is a PEM self-signed certificate and key for name.
func pemPair(t *testing.T, name string) ([]byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}
