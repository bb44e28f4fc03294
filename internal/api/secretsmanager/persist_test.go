package secretsmanager_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go/middleware"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

type snapshot struct {
	List      []types.SecretListEntry
	Described *secretsmanager.DescribeSecretOutput
	Versions  []types.SecretVersionsListEntry
	Current   *string
	Previous  *string
	Binary    []byte
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := t.Context()
	d := must(e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("db")}))(t)
	d.ResultMetadata = middleware.Metadata{} // the request's, not the secret's
	return snapshot{
		List:      must(e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)}))(t).SecretList,
		Described: d,
		Versions:  must(e.C.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("db"), IncludeDeprecated: aws.Bool(true)}))(t).Versions,
		Current:   must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("db")}))(t).SecretString,
		Previous:  must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("db"), VersionStage: aws.String("AWSPREVIOUS")}))(t).SecretString,
		Binary:    must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("bin")}))(t).SecretBinary,
	}
}

// TestRestoreAfterRestart creates secrets with versions and stages, tags,
// schedules one for deletion and deletes another, restarts on the same
// state directory and compares what List, Describe and Get show.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, smapi.Options{}, dir, false)
	must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("v1"), Description: aws.String("the db"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}))(t)
	e.Clock.Advance(time.Minute)
	must(e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("db"), SecretString: aws.String("v2"), VersionStages: []string{"AWSCURRENT", "blue"}}))(t)
	must(e.C.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("db"), KmsKeyId: aws.String("alias/mine")}))(t)
	must(e.C.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("db"), Tags: []types.Tag{{Key: aws.String("gone"), Value: aws.String("x")}}}))(t)
	must(e.C.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("db"), TagKeys: []string{"gone"}}))(t)
	must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("bin"), SecretBinary: []byte{0, 1, 2, 255}}))(t)
	must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("later"), SecretString: aws.String("x")}))(t)
	must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("later"), RecoveryWindowInDays: aws.Int64(7)}))(t)
	must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("gone"), SecretString: aws.String("x")}))(t)
	must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("gone"), ForceDeleteWithoutRecovery: aws.Bool(true)}))(t)

	e.snapshot(t) // its reads set the last accessed dates
	before := e.snapshot(t)
	now := e.Clock.Now()
	e.closeState(t)
	e = newEnvAt(t, smapi.Options{}, dir, true)
	e.Clock.Advance(now.Sub(e.Clock.Now()))
	if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	// The scheduled deletion goes on: the secret can be restored, or is
	// purged when its window ends.
	must(e.C.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("later")}))(t)
	must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("later"), RecoveryWindowInDays: aws.Int64(7)}))(t)
	e.Clock.Advance(8 * 24 * time.Hour)
	if n := len(must(e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)}))(t).SecretList); n != 2 {
		t.Fatalf("secrets after the recovery window = %d, want 2", n)
	}
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, smapi.Options{}, dir, false)
	must(e.C.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("v1")}))(t)
	e.API.Reset()
	if recs, err := statetest.Records(e.DB.Bucket(smapi.Spec.Name)); err != nil || len(recs) != 0 {
		t.Fatalf("records after reset: %v, %v", recs, err)
	}
	e.closeState(t)
	e = newEnvAt(t, smapi.Options{}, dir, true)
	if l := must(e.C.ListSecrets(t.Context(), &secretsmanager.ListSecretsInput{}))(t).SecretList; len(l) != 0 {
		t.Fatalf("secrets after reset and restart = %+v", l)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db := statetest.Open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket(smapi.Spec.Name).Batch()
	b.PutRaw(account+"/"+region+"/secret/db", []byte(`{"Versions": "x"}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := smapi.New(smapi.Options{State: db.Bucket(smapi.Spec.Name)}).Restore(); err == nil {
		t.Fatal("Restore of an undecodable record succeeded")
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := smapi.New(smapi.Options{Account: account})
	if _, err := a.Store(region).CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("v1")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if out, err := a.Store(region).ListSecrets(t.Context(), &secretsmanager.ListSecretsInput{}); err != nil || len(out.SecretList) != 1 {
		t.Fatalf("secrets = %+v, %v", out, err)
	}
}
