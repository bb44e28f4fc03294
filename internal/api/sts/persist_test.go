package sts_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	stsapi "github.com/localaws/ecsemu/internal/api/sts"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

// Credentials STS issued before a restart say who they are after it; the
// key a full table evicted stays forgotten.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := statetest.Open(t, dir)
	opts := stsapi.Options{MaxSessions: 2, State: db.Bucket(stsapi.Spec.Name)}
	e := newEnv(t, opts)
	root := e.client("AKIDTEST", "secret", "")
	role := "arn:aws:iam::" + account + ":role/app"
	var creds []*sts.AssumeRoleOutput
	for _, name := range []string{"evicted", "one", "two", "three"} {
		creds = append(creds, must(root.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &role, RoleSessionName: aws.String(name)})))
	}
	token := creds[3]
	who := func(e *env) []*sts.GetCallerIdentityOutput {
		var out []*sts.GetCallerIdentityOutput
		for _, c := range []*sts.Client{e.as(creds[2].Credentials), e.as(token.Credentials)} {
			id := must(c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
			id.ResultMetadata = middleware.Metadata{}
			out = append(out, id)
		}
		return out
	}
	before := who(e)
	if recs, err := statetest.Records(db.Bucket(stsapi.Spec.Name)); err != nil || len(recs) != 2 {
		t.Fatalf("records = %v, %v; want the two kept keys", recs, err)
	}
	db.Close()

	db = statetest.Open(t, dir)
	defer db.Close()
	opts.State = db.Bucket(stsapi.Spec.Name)
	e = newEnv(t, opts)
	if err := e.api.Restore(); err != nil {
		t.Fatal(err)
	}
	if after := who(e); !reflect.DeepEqual(after, before) {
		t.Fatalf("identities after restart = %+v, before %+v", after, before)
	}
	// Evicted keys stay forgotten (they stand for the account's root),
	// and the order survives: the next key evicts the older kept one.
	isRoot := func(c *sts.Client) bool {
		return strings.HasSuffix(*must(c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})).Arn, ":root")
	}
	if !isRoot(e.as(creds[0].Credentials)) || !isRoot(e.as(creds[1].Credentials)) {
		t.Fatal("an evicted key is known after the restart")
	}
	must(e.client("AKIDTEST", "secret", "").AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &role, RoleSessionName: aws.String("four")}))
	if !isRoot(e.as(creds[2].Credentials)) || isRoot(e.as(token.Credentials)) {
		t.Fatal("the next key did not evict the oldest kept one")
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db := statetest.Open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket(stsapi.Spec.Name).Batch()
	b.PutRaw("session/ASIAX", []byte(`{"Seq": "x"}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := stsapi.New(stsapi.Options{State: db.Bucket(stsapi.Spec.Name)}).Restore(); err == nil {
		t.Fatal("Restore of an undecodable record succeeded")
	}
}

// must unwraps a call that the test expects to succeed.
func must[T any](v T, err error) T { return apitest.Unwrap(v, err) }
