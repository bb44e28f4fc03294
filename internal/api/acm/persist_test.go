package acm_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	acmapi "github.com/localaws/ecsemu/internal/api/acm"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

type certSnapshot struct {
	Detail *types.CertificateDetail
	Tags   []types.Tag
	Body   *string
	Chain  *string
}

type snapshot struct {
	List  []types.CertificateSummary
	Certs []certSnapshot
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := t.Context()
	list := must(e.c.ListCertificates(ctx, &acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{types.KeyAlgorithmRsa2048, types.KeyAlgorithmEcPrime256v1}}})).CertificateSummaryList
	snap := snapshot{List: list}
	for _, c := range list {
		got := must(e.c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: c.CertificateArn}))
		snap.Certs = append(snap.Certs, certSnapshot{
			Detail: must(e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: c.CertificateArn})).Certificate,
			Tags:   must(e.c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: c.CertificateArn})).Tags,
			Body:   got.Certificate, Chain: got.CertificateChain,
		})
	}
	return snap
}

// TestRestoreAfterRestart requests, imports, re-imports, tags and deletes
// certificates, restarts on the same state directory and compares what
// List, Describe and Get show, and the key pairs the load balancers use.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	requested := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("a.example.com"),
		SubjectAlternativeNames: []string{"b.example.com"}, IdempotencyToken: aws.String("tok"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})).CertificateArn
	ec := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("ec.example.com"), KeyAlgorithm: types.KeyAlgorithmEcPrime256v1})).CertificateArn
	body, key := pemPair(t, "imported.example.com")
	imported := *must(e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: body, PrivateKey: key, CertificateChain: body})).CertificateArn
	body2, key2 := pemPair(t, "imported.example.com")
	must(e.c.ImportCertificate(ctx, &acm.ImportCertificateInput{CertificateArn: &imported, Certificate: body2, PrivateKey: key2}))
	must(e.c.AddTagsToCertificate(ctx, &acm.AddTagsToCertificateInput{CertificateArn: &imported, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}, {Key: aws.String("gone")}}}))
	must(e.c.RemoveTagsFromCertificate(ctx, &acm.RemoveTagsFromCertificateInput{CertificateArn: &imported, Tags: []types.Tag{{Key: aws.String("gone")}}}))
	gone := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("gone.example.com")})).CertificateArn
	must(e.c.DeleteCertificate(ctx, &acm.DeleteCertificateInput{CertificateArn: &gone}))

	before := e.snapshot(t)
	pairs := map[string][][]byte{}
	for _, arn := range []string{requested, ec, imported} {
		p, err := e.api.TLSCertificate(arn)
		if err != nil {
			t.Fatal(err)
		}
		pairs[arn] = p.Certificate
	}
	e.closeState(t)
	e = newEnvAt(t, dir, true)
	if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	for arn, chain := range pairs {
		p, err := e.api.TLSCertificate(arn)
		if err != nil || p.PrivateKey == nil || !reflect.DeepEqual(p.Certificate, chain) {
			t.Fatalf("key pair of %s after restart = %v, %v", arn, p, err)
		}
	}
	// A retried request within the hour gets the same certificate.
	again := *must(e.c.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("a.example.com"), IdempotencyToken: aws.String("tok")})).CertificateArn
	if again != requested {
		t.Fatalf("retried request after restart = %s, want %s", again, requested)
	}
	_, err := e.c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &gone})
	apiError(t, err, "ResourceNotFoundException", "")
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	must(e.c.RequestCertificate(t.Context(), &acm.RequestCertificateInput{DomainName: aws.String("a.example.com")}))
	e.api.Reset()
	if recs, err := statetest.Records(e.db.Bucket(acmapi.Spec.Name)); err != nil || len(recs) != 0 {
		t.Fatalf("records after reset: %v, %v", recs, err)
	}
	e.closeState(t)
	e = newEnvAt(t, dir, true)
	if l := must(e.c.ListCertificates(t.Context(), &acm.ListCertificatesInput{})).CertificateSummaryList; len(l) != 0 {
		t.Fatalf("certificates after reset and restart = %+v", l)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db := statetest.Open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket(acmapi.Spec.Name).Batch()
	b.PutRaw(account+"/"+region+"/cert/arn:aws:acm:us-east-1:"+account+":certificate/x", []byte(`{"Body": "not a certificate", "PrivateKey": ""}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := acmapi.New(acmapi.Options{State: db.Bucket(acmapi.Spec.Name)}).Restore(); err == nil {
		t.Fatal("Restore of an unreadable certificate succeeded")
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := acmapi.New(acmapi.Options{})
	if _, err := a.Store(account, region).RequestCertificate(t.Context(), &acm.RequestCertificateInput{DomainName: aws.String("a.example.com")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if out, err := a.Store(account, region).ListCertificates(t.Context(), &acm.ListCertificatesInput{}); err != nil || len(out.CertificateSummaryList) != 1 {
		t.Fatalf("certificates = %+v, %v", out, err)
	}
}
