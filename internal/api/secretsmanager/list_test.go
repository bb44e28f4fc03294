package secretsmanager_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
)

func TestListSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, smapi.Options{})
	ctx := t.Context()
	for _, s := range []struct{ name, desc, tagKey, tagValue string }{
		{"prod/db", "Main database credentials", "env", "production"},
		{"prod/api-key", "Payment provider key", "env", "production"},
		{"dev/db", "Database for dev", "env", "development"},
		{"Other", "", "owner", "me"},
	} {
		must(e.C.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(s.name), SecretString: aws.String("x"),
			Description: aws.String(s.desc), Tags: []types.Tag{{Key: aws.String(s.tagKey), Value: aws.String(s.tagValue)}}}))(t)
		e.Clock.Advance(time.Second)
	}
	names := func(filters []types.Filter, opts ...func(*secretsmanager.ListSecretsInput)) []string {
		t.Helper()
		in := &secretsmanager.ListSecretsInput{Filters: filters}
		for _, o := range opts {
			o(in)
		}
		out := must(e.C.ListSecrets(ctx, in))(t)
		var got []string
		for _, s := range out.SecretList {
			got = append(got, aws.ToString(s.Name))
		}
		return got
	}
	f := func(key types.FilterNameStringType, values ...string) types.Filter {
		return types.Filter{Key: key, Values: values}
	}
	tests := []struct {
		name    string
		filters []types.Filter
		want    []string
	}{
		{"all, newest first", nil, []string{"Other", "dev/db", "prod/api-key", "prod/db"}},
		{"name prefix", []types.Filter{f("name", "prod/")}, []string{"prod/api-key", "prod/db"}},
		{"name is case-sensitive", []types.Filter{f("name", "other")}, nil},
		{"name negated", []types.Filter{f("name", "!prod")}, []string{"Other", "dev/db"}},
		{"two values or", []types.Filter{f("name", "dev", "Oth")}, []string{"Other", "dev/db"}},
		{"tag value", []types.Filter{f("tag-value", "prod")}, []string{"prod/api-key", "prod/db"}},
		{"tag key", []types.Filter{f("tag-key", "own")}, []string{"Other"}},
		{"description words", []types.Filter{f("description", "database main")}, []string{"prod/db"}},
		{"filters and", []types.Filter{f("tag-value", "prod"), f("description", "database")}, []string{"prod/db"}},
		{"all words", []types.Filter{f("all", "devDatabase")}, []string{"dev/db"}},
		{"primary-region matches no unreplicated secret", []types.Filter{f("primary-region", "us")}, nil},
	}
	for _, tc := range tests {
		if got := names(tc.filters); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	byName := names(nil, func(in *secretsmanager.ListSecretsInput) {
		in.SortBy = types.SortByTypeName
		in.SortOrder = types.SortOrderTypeAsc
	})
	if want := []string{"Other", "dev/db", "prod/api-key", "prod/db"}; !slices.Equal(byName, want) {
		t.Errorf("by name = %v", byName)
	}

	// Paging through one at a time sees every secret once.
	var paged []string
	var token *string
	for range 10 {
		out := must(e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(1), NextToken: token}))(t)
		for _, s := range out.SecretList {
			paged = append(paged, aws.ToString(s.Name))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if want := names(nil); !slices.Equal(paged, want) {
		t.Errorf("paged = %v, want %v", paged, want)
	}
	_, err := e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{NextToken: aws.String("bogus")})
	wantCode(t, err, "InvalidNextTokenException")
	_, err = e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(101)})
	wantCode(t, err, "ValidationException")
	_, err = e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{Filters: []types.Filter{f("name", "bad#chars")}})
	wantCode(t, err, "ValidationException")
	_, err = e.C.ListSecrets(ctx, &secretsmanager.ListSecretsInput{Filters: []types.Filter{f("colour", "x")}})
	wantCode(t, err, "ValidationException")
}
