package ssm_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

func names(ps []types.Parameter) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, aws.ToString(p.Name))
	}
	return out
}

func metaNames(ps []types.ParameterMetadata) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, aws.ToString(p.Name))
	}
	return out
}

// tree puts a small hierarchy.
func tree(t *testing.T, e *env) {
	for _, n := range []string{"/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d", "/other/x", "top"} {
		e.put(t, n, "v-"+n)
	}
	must(e.C.PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String("/app/s"), Value: aws.String("sec"), Type: types.ParameterTypeSecureString,
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))(t)
}

func TestGetParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	tree(t, e)
	out := must(e.C.GetParameters(t.Context(), &ssm.GetParametersInput{Names: []string{"/app/a", "/nope", "top", "/app/a:9", "/app/s"}, WithDecryption: aws.Bool(true)}))(t)
	if got := names(out.Parameters); !slices.Equal(got, []string{"/app/a", "top", "/app/s"}) {
		t.Errorf("Parameters = %v", got)
	}
	if !slices.Equal(out.InvalidParameters, []string{"/nope", "/app/a:9"}) {
		t.Errorf("InvalidParameters = %v", out.InvalidParameters)
	}
	if aws.ToString(out.Parameters[2].Value) != "sec" {
		t.Errorf("decrypted value = %s", aws.ToString(out.Parameters[2].Value))
	}
	_, err := e.C.GetParameters(t.Context(), &ssm.GetParametersInput{Names: make([]string, 11)})
	wantCode(t, err, "ValidationException")
}

func TestGetParametersByPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	tree(t, e)
	ctx := t.Context()
	tests := []struct {
		name string
		in   ssm.GetParametersByPathInput
		want []string
	}{
		{"one level", ssm.GetParametersByPathInput{Path: aws.String("/app")}, []string{"/app/a", "/app/b", "/app/s"}},
		{"trailing slash", ssm.GetParametersByPathInput{Path: aws.String("/app/")}, []string{"/app/a", "/app/b", "/app/s"}},
		{"recursive", ssm.GetParametersByPathInput{Path: aws.String("/app"), Recursive: aws.Bool(true)},
			[]string{"/app/a", "/app/b", "/app/s", "/app/sub/c", "/app/sub/deep/d"}},
		{"root one level", ssm.GetParametersByPathInput{Path: aws.String("/")}, []string{}},
		{"by type", ssm.GetParametersByPathInput{Path: aws.String("/app"), Recursive: aws.Bool(true),
			ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Values: []string{"SecureString"}}}}, []string{"/app/s"}},
		{"by tag", ssm.GetParametersByPathInput{Path: aws.String("/app"),
			ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("tag:team"), Values: []string{"blue"}}}}, []string{"/app/s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(e.C.GetParametersByPath(ctx, &tc.in))(t)
			if got := names(out.Parameters); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// Pages of two, followed to the end.
	var all []string
	in := &ssm.GetParametersByPathInput{Path: aws.String("/app"), Recursive: aws.Bool(true), MaxResults: aws.Int32(2)}
	for pages := 0; ; pages++ {
		out := must(e.C.GetParametersByPath(ctx, in))(t)
		all = append(all, names(out.Parameters)...)
		if out.NextToken == nil {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		in.NextToken = out.NextToken
	}
	if len(all) != 5 {
		t.Errorf("paged listing = %v", all)
	}
	errs := []struct {
		name string
		in   ssm.GetParametersByPathInput
		code string
	}{
		{"relative path", ssm.GetParametersByPathInput{Path: aws.String("app")}, "ValidationException"},
		{"name filter", ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Values: []string{"x"}}}}, "InvalidFilterKey"},
		{"bad option", ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Option: aws.String("Contains"), Values: []string{"String"}}}}, "InvalidFilterOption"},
		{"bad type value", ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Values: []string{"Int"}}}}, "InvalidFilterValue"},
		{"too many", ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(11)}, "ValidationException"},
		{"foreign token", ssm.GetParametersByPathInput{Path: aws.String("/app"), NextToken: aws.String("bm9wZTox")}, "InvalidNextToken"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.unvalidated().GetParametersByPath(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
}

func TestDescribeParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	tree(t, e)
	ctx := t.Context()
	f := func(key, option string, values ...string) types.ParameterStringFilter {
		out := types.ParameterStringFilter{Key: aws.String(key), Values: values}
		if option != "" {
			out.Option = aws.String(option)
		}
		return out
	}
	tests := []struct {
		name    string
		filters []types.ParameterStringFilter
		legacy  []types.ParametersFilter
		want    []string
	}{
		{"all", nil, nil, []string{"/app/a", "/app/b", "/app/s", "/app/sub/c", "/app/sub/deep/d", "/other/x", "top"}},
		{"name equals without slash", []types.ParameterStringFilter{f("Name", "", "app/a")}, nil, []string{"/app/a"}},
		{"name begins with", []types.ParameterStringFilter{f("Name", "BeginsWith", "/app/sub")}, nil, []string{"/app/sub/c", "/app/sub/deep/d"}},
		{"name contains", []types.ParameterStringFilter{f("Name", "Contains", "deep")}, nil, []string{"/app/sub/deep/d"}},
		{"path one level", []types.ParameterStringFilter{f("Path", "", "/app/sub")}, nil, []string{"/app/sub/c"}},
		{"path recursive", []types.ParameterStringFilter{f("Path", "Recursive", "/app/sub")}, nil, []string{"/app/sub/c", "/app/sub/deep/d"}},
		{"type and tier", []types.ParameterStringFilter{f("Type", "", "SecureString"), f("Tier", "", "Standard")}, nil, []string{"/app/s"}},
		{"tag key only", []types.ParameterStringFilter{{Key: aws.String("tag:team")}}, nil, []string{"/app/s"}},
		{"legacy name prefix", nil, []types.ParametersFilter{{Key: types.ParametersFilterKeyName, Values: []string{"/other"}}}, []string{"/other/x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: tc.filters, Filters: tc.legacy}))(t)
			if got := metaNames(out.Parameters); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	out := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{MaxResults: aws.Int32(5)}))(t)
	if len(out.Parameters) != 5 || out.NextToken == nil {
		t.Fatalf("page 1: %d, token %v", len(out.Parameters), out.NextToken)
	}
	out = must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{MaxResults: aws.Int32(5), NextToken: out.NextToken}))(t)
	if got := metaNames(out.Parameters); !slices.Equal(got, []string{"/other/x", "top"}) || out.NextToken != nil {
		t.Errorf("page 2: %v, token %v", got, out.NextToken)
	}
	errs := []struct {
		name string
		in   ssm.DescribeParametersInput
		code string
	}{
		{"both filter kinds", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Type", "", "String")},
			Filters: []types.ParametersFilter{{Key: "Name", Values: []string{"x"}}}}, "ValidationException"},
		{"label in describe", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Label", "", "x")}}, "InvalidFilterKey"},
		{"duplicate key", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Type", "", "String"), f("Type", "", "String")}}, "InvalidFilterKey"},
		{"path option", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Path", "Equals", "/app")}}, "InvalidFilterOption"},
		{"missing values", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Name", "")}}, "InvalidFilterValue"},
		{"over 50", ssm.DescribeParametersInput{MaxResults: aws.Int32(51)}, "ValidationException"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.unvalidated().DescribeParameters(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	tree(t, e)
	ctx := t.Context()
	must(e.C.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("top")}))(t)
	_, err := e.C.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("top")})
	wantCode(t, err, "ParameterNotFound")
	out := must(e.C.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: []string{"/app/a", "/gone", "arn:aws:ssm:us-east-1:000000000000:parameter/app/b"}}))(t)
	if !slices.Equal(out.DeletedParameters, []string{"/app/a", "arn:aws:ssm:us-east-1:000000000000:parameter/app/b"}) || !slices.Equal(out.InvalidParameters, []string{"/gone"}) {
		t.Errorf("deleted %v invalid %v", out.DeletedParameters, out.InvalidParameters)
	}
	// A re-created parameter starts again at version 1, without the old tags.
	if v := e.put(t, "/app/a", "again"); v != 1 {
		t.Errorf("re-created version = %d", v)
	}
}
