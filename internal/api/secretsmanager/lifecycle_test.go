package secretsmanager_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
)

var arnPattern = regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-[A-Za-z0-9]{6}$`)

func TestCreateAndGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	out := must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String("app/db"), SecretString: aws.String(`{"user":"admin","password":"s3cret"}`),
		Description: aws.String("database credentials"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}},
	}))(t)
	arn := aws.ToString(out.ARN)
	if !arnPattern.MatchString(arn) || aws.ToString(out.Name) != "app/db" || len(aws.ToString(out.VersionId)) != 36 {
		t.Fatalf("CreateSecret = %+v", out)
	}
	// By name, full ARN and partial ARN (without the random suffix).
	for _, id := range []string{"app/db", arn, arn[:len(arn)-7]} {
		got := must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)}))(t)
		if aws.ToString(got.SecretString) != `{"user":"admin","password":"s3cret"}` || aws.ToString(got.ARN) != arn ||
			aws.ToString(got.VersionId) != aws.ToString(out.VersionId) || !slices.Equal(got.VersionStages, []string{"AWSCURRENT"}) ||
			got.CreatedDate == nil || !got.CreatedDate.Equal(e.Clock.Now()) {
			t.Errorf("GetSecretValue(%s) = %+v", id, got)
		}
	}
	_, err := e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/nope")})
	if apiErr := wantCode(t, err, "ResourceNotFoundException"); apiErr.ErrorMessage() != "Secrets Manager can't find the specified secret." {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	_, err = e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn[:len(arn)-6] + "zzzzzz")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = e.client("eu-west-1").GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
	wantCode(t, err, "ResourceNotFoundException")

	_, err = e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("x")})
	if apiErr := wantCode(t, err, "ResourceExistsException"); apiErr.ErrorMessage() != "The operation failed because the secret app/db already exists." {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	_, err = e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("bad name!")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("both"), SecretString: aws.String("x"), SecretBinary: []byte("y")})
	wantCode(t, err, "InvalidParameterException")
}

func TestCreateIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	token := "11111111-2222-4333-8444-555555555555"
	in := &secretsmanager.CreateSecretInput{Name: aws.String("tok"), SecretString: aws.String("v"), ClientRequestToken: aws.String(token)}
	first := must(e.C.CreateSecret(ctx, in))(t)
	again := must(e.C.CreateSecret(ctx, in))(t)
	if aws.ToString(first.ARN) != aws.ToString(again.ARN) || aws.ToString(again.VersionId) != token {
		t.Errorf("retry = %+v, first %+v", again, first)
	}
	in.SecretString = aws.String("other")
	_, err := e.C.CreateSecret(ctx, in)
	wantCode(t, err, "ResourceExistsException")
}

func TestEmptySecretAndBinary(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	out := must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("empty")}))(t)
	if out.VersionId != nil {
		t.Errorf("a secret without a value has a version: %+v", out)
	}
	_, err := e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("empty")})
	if apiErr := wantCode(t, err, "ResourceNotFoundException"); apiErr.ErrorMessage() != "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	must(e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("empty"), SecretBinary: []byte{0, 1, 2, 255}}))(t)
	got := must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("empty")}))(t)
	if got.SecretString != nil || !slices.Equal(got.SecretBinary, []byte{0, 1, 2, 255}) {
		t.Errorf("binary value = %+v", got)
	}
	if _, err := e.API.SecretValue(ctx, "000000000000", "us-east-1", "empty", "", ""); err == nil {
		t.Error("SecretValue of a binary secret did not fail")
	}
}

func TestVersionsAndStages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	e.create(t, "rot", "one")
	v1 := e.currentVersion(t, "rot")
	e.Clock.Advance(time.Minute)
	put := must(e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("rot"), SecretString: aws.String("two")}))(t)
	v2 := aws.ToString(put.VersionId)
	if !slices.Equal(put.VersionStages, []string{"AWSCURRENT"}) || v2 == v1 {
		t.Fatalf("PutSecretValue = %+v", put)
	}
	if got := e.value(t, "rot"); got != "two" {
		t.Errorf("AWSCURRENT = %q", got)
	}
	prev := must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSPREVIOUS")}))(t)
	if aws.ToString(prev.SecretString) != "one" || aws.ToString(prev.VersionId) != v1 {
		t.Errorf("AWSPREVIOUS = %+v", prev)
	}
	byID := must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionId: aws.String(v1)}))(t)
	if aws.ToString(byID.SecretString) != "one" {
		t.Errorf("by VersionId = %+v", byID)
	}
	_, err := e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionId: aws.String(v1), VersionStage: aws.String("AWSCURRENT")})
	wantCode(t, err, "InvalidRequestException")
	_, err = e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionId: aws.String("99999999-2222-4333-8444-555555555555")})
	wantCode(t, err, "ResourceNotFoundException")

	// A third version: v1 loses AWSPREVIOUS and is deprecated.
	third := must(e.C.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("rot"), SecretString: aws.String("three"), Description: aws.String("rotated")}))(t)
	v3 := aws.ToString(third.VersionId)
	desc := must(e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("rot")}))(t)
	wantStages := map[string][]string{v2: {"AWSPREVIOUS"}, v3: {"AWSCURRENT"}}
	if !equalStages(desc.VersionIdsToStages, wantStages) || aws.ToString(desc.Description) != "rotated" {
		t.Errorf("DescribeSecret = %+v, want stages %v", desc, wantStages)
	}
	ids := must(e.C.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("rot")}))(t)
	all := must(e.C.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("rot"), IncludeDeprecated: aws.Bool(true)}))(t)
	if len(ids.Versions) != 2 || len(all.Versions) != 3 || aws.ToString(all.Versions[0].VersionId) != v1 || len(all.Versions[0].VersionStages) != 0 {
		t.Errorf("ListSecretVersionIds = %+v / with deprecated %+v", ids.Versions, all.Versions)
	}
	// Metadata-only update: no new version.
	meta := must(e.C.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("rot"), Description: aws.String("d2")}))(t)
	if meta.VersionId != nil {
		t.Errorf("metadata update made a version: %+v", meta)
	}

	// A custom label, then moving AWSCURRENT back to v2.
	must(e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("rot"), SecretString: aws.String("four"), VersionStages: []string{"TEST"}}))(t)
	if got := e.value(t, "rot"); got != "three" {
		t.Errorf("a version labelled TEST took AWSCURRENT: %q", got)
	}
	_, err = e.C.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: aws.String(v2)})
	wantCode(t, err, "InvalidParameterException")
	must(e.C.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: aws.String(v2), RemoveFromVersionId: aws.String(v3)}))(t)
	if got := e.value(t, "rot"); got != "two" {
		t.Errorf("after moving AWSCURRENT: %q", got)
	}
	prev = must(e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSPREVIOUS")}))(t)
	if aws.ToString(prev.VersionId) != v3 {
		t.Errorf("AWSPREVIOUS after the move = %s, want %s", aws.ToString(prev.VersionId), v3)
	}
	must(e.C.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSPREVIOUS"), RemoveFromVersionId: aws.String(v3)}))(t)
	_, err = e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("rot"), VersionStage: aws.String("AWSPREVIOUS")})
	wantCode(t, err, "ResourceNotFoundException")

	// Reusing a version ID: the same value is a retry, another fails.
	retry := must(e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("rot"), SecretString: aws.String("two"), ClientRequestToken: aws.String(v2)}))(t)
	if aws.ToString(retry.VersionId) != v2 {
		t.Errorf("retry = %+v", retry)
	}
	_, err = e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("rot"), SecretString: aws.String("changed"), ClientRequestToken: aws.String(v2)})
	wantCode(t, err, "ResourceExistsException")
}

func (e *env) currentVersion(t testing.TB, id string) string {
	t.Helper()
	out := must(e.C.GetSecretValue(t.Context(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)}))(t)
	return aws.ToString(out.VersionId)
}

func equalStages(got, want map[string][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			return false
		}
	}
	return true
}

func TestDeleteAndRestore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	arn := e.create(t, "doomed", "v")
	_, err := e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("doomed"), RecoveryWindowInDays: aws.Int64(6)})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("doomed"), RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)})
	wantCode(t, err, "InvalidParameterException")
	del := must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String(arn), RecoveryWindowInDays: aws.Int64(7)}))(t)
	if want := e.Clock.Now().Add(7 * 24 * time.Hour); del.DeletionDate == nil || !del.DeletionDate.Equal(want) || aws.ToString(del.ARN) != arn {
		t.Errorf("DeleteSecret = %+v, want DeletionDate %v", del, want)
	}
	_, err = e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("doomed")})
	if apiErr := wantCode(t, err, "InvalidRequestException"); apiErr.ErrorMessage() != "You can't perform this operation on the secret because it was marked for deletion." {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	for name, call := range map[string]func() error{
		"PutSecretValue": func() error {
			_, err := e.C.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("doomed"), SecretString: aws.String("x")})
			return err
		},
		"UpdateSecret": func() error {
			_, err := e.C.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("doomed"), Description: aws.String("x")})
			return err
		},
		"DeleteSecret": func() error {
			_, err := e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("doomed")})
			return err
		},
		"CreateSecret": func() error {
			_, err := e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("doomed")})
			return err
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s on a secret marked for deletion succeeded", name)
		} else {
			wantCode(t, err, "InvalidRequestException")
		}
	}
	desc := must(e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("doomed")}))(t)
	if desc.DeletedDate == nil || !desc.DeletedDate.Equal(e.Clock.Now()) {
		t.Errorf("DeletedDate = %v", desc.DeletedDate)
	}
	listed := must(e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{}))(t)
	planned := must(e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)}))(t)
	if len(listed.SecretList) != 0 || len(planned.SecretList) != 1 {
		t.Errorf("ListSecrets = %d, with planned deletion %d", len(listed.SecretList), len(planned.SecretList))
	}

	must(e.C.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("doomed")}))(t)
	if got := e.value(t, "doomed"); got != "v" {
		t.Errorf("after restore = %q", got)
	}

	// The recovery window ends: the secret is gone, its name free again.
	must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("doomed"), RecoveryWindowInDays: aws.Int64(7)}))(t)
	e.Clock.Advance(7*24*time.Hour + time.Second)
	_, err = e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("doomed")})
	wantCode(t, err, "ResourceNotFoundException")
	again := e.create(t, "doomed", "new")
	if again == arn {
		t.Errorf("a new secret under an old name kept the old ARN %s", arn)
	}
	_, err = e.C.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	wantCode(t, err, "ResourceNotFoundException")

	// Forced deletion is immediate, and succeeds for a secret that is not there.
	must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("doomed"), ForceDeleteWithoutRecovery: aws.Bool(true)}))(t)
	_, err = e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("doomed")})
	wantCode(t, err, "ResourceNotFoundException")
	gone := must(e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("never"), ForceDeleteWithoutRecovery: aws.Bool(true)}))(t)
	if aws.ToString(gone.Name) != "never" {
		t.Errorf("forced deletion of a missing secret = %+v", gone)
	}
	_, err = e.C.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("never")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = e.C.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("never")})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	e.create(t, "tagged", "v")
	must(e.C.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("tagged"), Tags: []types.Tag{
		{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("a")}}}))(t)
	must(e.C.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("tagged"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}}))(t)
	must(e.C.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("tagged"), TagKeys: []string{"env", "absent"}}))(t)
	desc := must(e.C.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("tagged")}))(t)
	if len(desc.Tags) != 1 || aws.ToString(desc.Tags[0].Key) != "team" || aws.ToString(desc.Tags[0].Value) != "b" {
		t.Errorf("tags = %+v", desc.Tags)
	}
	var many []types.Tag
	for i := range 50 {
		many = append(many, types.Tag{Key: aws.String("k" + string(rune('A'+i))), Value: aws.String("v")})
	}
	_, err := e.C.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("tagged"), Tags: many})
	wantCode(t, err, "LimitExceededException")
	_, err = e.C.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("nope"), Tags: many[:1]})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	e.create(t, "kept-until-reset", "v")
	e.API.Reset()
	_, err := e.C.DescribeSecret(t.Context(), &secretsmanager.DescribeSecretInput{SecretId: aws.String("kept-until-reset")})
	wantCode(t, err, "ResourceNotFoundException")
	e.create(t, "kept-until-reset", "again") // the name is free again
}

func TestGetRandomPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	def := aws.ToString(must(e.C.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{}))(t).RandomPassword)
	if len(def) != 32 || strings.ContainsAny(def, " ") ||
		!strings.ContainsAny(def, "abcdefghijklmnopqrstuvwxyz") || !strings.ContainsAny(def, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
		!strings.ContainsAny(def, "0123456789") || !strings.ContainsAny(def, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") {
		t.Errorf("default password %q lacks a class or has the wrong length", def)
	}
	for range 20 {
		pw := aws.ToString(must(e.C.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(12),
			ExcludePunctuation: aws.Bool(true), ExcludeCharacters: aws.String("0Oo1lI"), IncludeSpace: aws.Bool(true)}))(t).RandomPassword)
		if len(pw) != 12 || strings.ContainsAny(pw, "0Oo1lI!#%") || !strings.ContainsAny(pw, "23456789") {
			t.Fatalf("password %q breaks its rules", pw)
		}
	}
	_, err := e.C.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(4097)})
	wantCode(t, err, "ValidationException")
	_, err = e.C.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true),
		ExcludeNumbers: aws.Bool(true), ExcludePunctuation: aws.Bool(true)})
	wantCode(t, err, "InvalidParameterException")
}
