package ssm_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

type snapshot struct {
	Described []types.ParameterMetadata
	ByPath    []types.Parameter
	History   []types.ParameterHistory
	Labeled   *types.Parameter
	Tags      []types.Tag
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := t.Context()
	return snapshot{
		Described: must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters,
		ByPath:    must(e.C.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/"), Recursive: aws.Bool(true), WithDecryption: aws.Bool(true)}))(t).Parameters,
		History:   must(e.C.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/app/url"), WithDecryption: aws.Bool(true)}))(t).Parameters,
		Labeled:   must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/url:prod")}))(t).Parameter,
		Tags:      must(e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/app/url")}))(t).TagList,
	}
}

// TestRestoreAfterRestart puts parameters with versions, labels and tags,
// deletes some (the bootstrap one too), restarts on the same state
// directory and compares what Describe, Get and History show.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, ssmapi.Options{Bootstrap: true}, dir, false)
	e.put(t, "/app/url", "http://a")
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/url"), Value: aws.String("http://b"), Overwrite: aws.Bool(true), Description: aws.String("the url")}))(t)
	must(e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/app/url"), ParameterVersion: aws.Int64(1), Labels: []string{"prod"}}))(t)
	must(e.C.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/app/url"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("gone"), Value: aws.String("b")}}}))(t)
	must(e.C.RemoveTagsFromResource(ctx, &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/app/url"), TagKeys: []string{"gone"}}))(t)
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/pw"), Value: aws.String("secret"), Type: types.ParameterTypeSecureString, KeyId: aws.String("alias/mine")}))(t)
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/list"), Value: aws.String("a,b"), Type: types.ParameterTypeStringList}))(t)
	e.put(t, "/app/gone", "x")
	must(e.C.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/app/gone")}))(t)
	must(e.C.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(ssmapi.BootstrapVersionName)}))(t)

	before := e.snapshot(t)
	e.closeState(t)
	e = newEnvAt(t, ssmapi.Options{Bootstrap: true}, dir, true)
	if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	if _, err := e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(ssmapi.BootstrapVersionName)}); err == nil {
		t.Fatal("the deleted bootstrap parameter is back")
	}
	// Versions go on from the stored ones.
	out := must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/url"), Value: aws.String("http://c"), Overwrite: aws.Bool(true)}))(t)
	if out.Version != 3 {
		t.Fatalf("version after restart = %d, want 3", out.Version)
	}
}

// TestRestoreKeepsBootstrapOnce: a bootstrapped region comes back with its
// parameter once, and another region is bootstrapped on its first use.
func TestRestoreKeepsBootstrapOnce(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, ssmapi.Options{Bootstrap: true}, dir, false)
	before := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters
	e.closeState(t)
	e = newEnvAt(t, ssmapi.Options{Bootstrap: true}, dir, true)
	if after := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters; !reflect.DeepEqual(after, before) || len(after) != 1 {
		t.Fatalf("after restart = %+v, before %+v", after, before)
	}
	if _, _, err := e.API.GetValue("eu-west-1", ssmapi.BootstrapVersionName); err != nil {
		t.Fatalf("a new region is not bootstrapped: %v", err)
	}
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, ssmapi.Options{}, dir, false)
	e.put(t, "/a", "1")
	e.API.Reset()
	if recs, err := statetest.Records(e.DB.Bucket(ssmapi.Spec.Name)); err != nil || len(recs) != 0 {
		t.Fatalf("records after reset: %v, %v", recs, err)
	}
	e.closeState(t)
	e = newEnvAt(t, ssmapi.Options{}, dir, true)
	if ps := must(e.C.DescribeParameters(t.Context(), &ssm.DescribeParametersInput{}))(t).Parameters; len(ps) != 0 {
		t.Fatalf("parameters after reset and restart = %+v", ps)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db := statetest.Open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket(ssmapi.Spec.Name).Batch()
	b.PutRaw(account+"/"+region+"/param//a", []byte(`{"Versions": 1}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := ssmapi.New(ssmapi.Options{State: db.Bucket(ssmapi.Spec.Name)}).Restore(); err == nil {
		t.Fatal("Restore of an undecodable record succeeded")
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := ssmapi.New(ssmapi.Options{Account: account})
	if _, err := a.Store(region).PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("1"), Type: types.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if v, _, err := a.GetValue(region, "/a"); err != nil || v != "1" {
		t.Fatalf("GetValue = %q, %v", v, err)
	}
}
