package ssm_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

func TestPutAndGetVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	out := must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db/host"), Value: aws.String("db1"),
		Type: types.ParameterTypeString, Description: aws.String("the database")}))(t)
	if out.Version != 1 || out.Tier != types.ParameterTierStandard {
		t.Fatalf("first put = version %d tier %s, want 1 Standard", out.Version, out.Tier)
	}
	_, err := e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db/host"), Value: aws.String("db2"), Type: "String"})
	e2 := wantCode(t, err, "ParameterAlreadyExists")
	if !strings.Contains(e2.ErrorMessage(), "set the overwrite option in the request to true") {
		t.Errorf("message = %q", e2.ErrorMessage())
	}
	e.Clock.Advance(time.Minute)
	// An overwrite without Type or Description keeps both.
	out = must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db/host"), Value: aws.String("db2"), Overwrite: aws.Bool(true)}))(t)
	if out.Version != 2 {
		t.Fatalf("overwrite version = %d, want 2", out.Version)
	}
	got := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/host")}))(t).Parameter
	if aws.ToString(got.Value) != "db2" || got.Version != 2 || got.Type != types.ParameterTypeString {
		t.Errorf("latest = %s v%d %s", aws.ToString(got.Value), got.Version, got.Type)
	}
	if aws.ToString(got.ARN) != "arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host" {
		t.Errorf("ARN = %s", aws.ToString(got.ARN))
	}
	if !got.LastModifiedDate.Equal(time.Date(2025, 1, 2, 3, 5, 5, 0, time.UTC)) || aws.ToString(got.DataType) != "text" {
		t.Errorf("LastModifiedDate %v DataType %s", got.LastModifiedDate, aws.ToString(got.DataType))
	}
	meta := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters
	if len(meta) != 1 || aws.ToString(meta[0].Description) != "the database" || meta[0].Version != 2 {
		t.Errorf("describe = %+v", meta)
	}
	// Selectors: a version number, by name and by ARN.
	for _, ref := range []string{"/app/db/host:1", "arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host:1"} {
		old := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(ref)}))(t).Parameter
		if aws.ToString(old.Value) != "db1" || old.Version != 1 || aws.ToString(old.Selector) != ":1" || aws.ToString(old.Name) != "/app/db/host" {
			t.Errorf("%s = %s v%d selector %s name %s", ref, aws.ToString(old.Value), old.Version, aws.ToString(old.Selector), aws.ToString(old.Name))
		}
	}
	_, err = e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/host:7")})
	e2 = wantCode(t, err, "ParameterVersionNotFound")
	if e2.ErrorMessage() != "Systems Manager could not find version 7 of /app/db/host. Verify the version and try again." {
		t.Errorf("message = %q", e2.ErrorMessage())
	}
	_, err = e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/nope")})
	wantCode(t, err, "ParameterNotFound")
	_, err = e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("arn:aws:ssm:eu-west-1:000000000000:parameter/app/db/host")})
	wantCode(t, err, "ParameterNotFound")
}

func TestPutValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	e.put(t, "/typed", "x")
	big := strings.Repeat("a", 4097)
	tests := []struct {
		name string
		in   ssm.PutParameterInput
		code string
		msg  string
	}{
		{"no type on create", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("v")}, "ValidationException", "A parameter type is required when you create a parameter."},
		{"bad type", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("v"), Type: "Number"}, "ValidationException", ""},
		{"empty value", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String(""), Type: "String"}, "ValidationException", ""},
		{"standard over 4 KB", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String(big), Type: "String"}, "ValidationException",
			"Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"},
		{"advanced over 8 KB", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String(strings.Repeat("a", 8193)), Type: "String", Tier: types.ParameterTierAdvanced}, "ValidationException", ""},
		{"relative path", ssm.PutParameterInput{Name: aws.String("a/b"), Value: aws.String("v"), Type: "String"}, "ValidationException", "Parameter name must be a fully qualified name."},
		{"bad character", ssm.PutParameterInput{Name: aws.String("/a b"), Value: aws.String("v"), Type: "String"}, "ValidationException", ""},
		{"reserved prefix", ssm.PutParameterInput{Name: aws.String("ssmthing"), Value: aws.String("v"), Type: "String"}, "ValidationException", ""},
		{"reserved aws path", ssm.PutParameterInput{Name: aws.String("/aws/x"), Value: aws.String("v"), Type: "String"}, "AccessDeniedException", "No access to reserved parameter name: /aws/x."},
		{"16 levels", ssm.PutParameterInput{Name: aws.String(strings.Repeat("/l", 16)), Value: aws.String("v"), Type: "String"}, "HierarchyLevelLimitExceededException", ""},
		{"type change", ssm.PutParameterInput{Name: aws.String("/typed"), Value: aws.String("v"), Type: "SecureString", Overwrite: aws.Bool(true)}, "HierarchyTypeMismatchException", ""},
		{"pattern mismatch", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("abc"), Type: "String", AllowedPattern: aws.String(`\d+`)}, "ParameterPatternMismatchException", `Parameter value, cannot be validated against allowedPattern: \d+`},
		{"bad pattern", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("abc"), Type: "String", AllowedPattern: aws.String(`(`)}, "InvalidAllowedPatternException", ""},
		{"bad data type", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("abc"), Type: "String", DataType: aws.String("Text")}, "ValidationException", "The following data type is not supported: Text (Data type names are all lowercase.)"},
		{"tags with overwrite", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("abc"), Type: "String", Overwrite: aws.Bool(true), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}, "ValidationException", ""},
		{"policies on standard", ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("abc"), Type: "String", Tier: types.ParameterTierStandard, Policies: aws.String(`[]`)}, "ValidationException", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.unvalidated().PutParameter(t.Context(), &tc.in)
			apiErr := wantCode(t, err, tc.code)
			if tc.msg != "" && apiErr.ErrorMessage() != tc.msg {
				t.Errorf("message = %q, want %q", apiErr.ErrorMessage(), tc.msg)
			}
		})
	}
	// Nothing was created by the failed puts.
	if n := len(must(e.C.DescribeParameters(t.Context(), &ssm.DescribeParametersInput{}))(t).Parameters); n != 1 {
		t.Errorf("%d parameters after failed puts, want 1", n)
	}
}

func TestTiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	big := strings.Repeat("b", 5000)
	out := must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String(big), Type: "String", Tier: types.ParameterTierIntelligentTiering}))(t)
	if out.Tier != types.ParameterTierAdvanced {
		t.Errorf("intelligent tiering of 5000 bytes = %s, want Advanced", out.Tier)
	}
	out = must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/small"), Value: aws.String("s"), Type: "String", Tier: types.ParameterTierIntelligentTiering}))(t)
	if out.Tier != types.ParameterTierStandard {
		t.Errorf("intelligent tiering of 1 byte = %s, want Standard", out.Tier)
	}
	// An advanced parameter stays advanced when an overwrite names no tier,
	// and cannot be downgraded.
	out = must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String("now small"), Overwrite: aws.Bool(true)}))(t)
	if out.Tier != types.ParameterTierAdvanced {
		t.Errorf("overwrite without tier = %s, want Advanced", out.Tier)
	}
	_, err := e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String("x"), Overwrite: aws.Bool(true), Tier: types.ParameterTierStandard})
	wantCode(t, err, "ValidationException")
}

func TestSecureString(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/secret"), Value: aws.String("hunter2"), Type: types.ParameterTypeSecureString}))(t)
	enc := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/secret")}))(t).Parameter
	if v := aws.ToString(enc.Value); v == "hunter2" || v == "" {
		t.Errorf("value without decryption = %q, want ciphertext", v)
	}
	dec := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/secret"), WithDecryption: aws.Bool(true)}))(t).Parameter
	if aws.ToString(dec.Value) != "hunter2" {
		t.Errorf("decrypted = %q", aws.ToString(dec.Value))
	}
	meta := must(e.C.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters
	if len(meta) != 1 || aws.ToString(meta[0].KeyId) != "alias/aws/ssm" {
		t.Errorf("KeyId = %v, want the default key alias/aws/ssm", meta)
	}
}

func TestStringListAndPattern(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("azs"), Value: aws.String("a,b,c"), Type: types.ParameterTypeStringList}))(t)
	got := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("azs")}))(t).Parameter
	if got.Type != types.ParameterTypeStringList || aws.ToString(got.Value) != "a,b,c" || aws.ToString(got.ARN) != "arn:aws:ssm:us-east-1:000000000000:parameter/azs" {
		t.Errorf("StringList = %+v", got)
	}
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/port"), Value: aws.String("8080"), Type: "String", AllowedPattern: aws.String(`^\d+$`)}))(t)
	// The pattern is kept, so a later overwrite is checked against it.
	_, err := e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/port"), Value: aws.String("http"), Overwrite: aws.Bool(true)})
	wantCode(t, err, "ParameterPatternMismatchException")
}

func TestVersionLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	e.put(t, "/v", "0")
	must(e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/v"), Labels: []string{"first"}}))(t)
	for i := 2; i <= 100; i++ {
		must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/v"), Value: aws.String("x"), Overwrite: aws.Bool(true)}))(t)
	}
	// The 101st version would drop version 1, which a label holds.
	_, err := e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/v"), Value: aws.String("x"), Overwrite: aws.Bool(true)})
	wantCode(t, err, "ParameterMaxVersionLimitExceeded")
	must(e.C.UnlabelParameterVersion(ctx, &ssm.UnlabelParameterVersionInput{Name: aws.String("/v"), ParameterVersion: aws.Int64(1), Labels: []string{"first"}}))(t)
	out := must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/v"), Value: aws.String("x"), Overwrite: aws.Bool(true)}))(t)
	if out.Version != 101 {
		t.Errorf("version = %d, want 101", out.Version)
	}
	_, err = e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/v:1")})
	wantCode(t, err, "ParameterVersionNotFound")
	hist := must(e.C.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/v"), MaxResults: aws.Int32(50)}))(t)
	if len(hist.Parameters) != 50 || hist.Parameters[0].Version != 2 || hist.NextToken == nil {
		t.Errorf("history page 1: %d versions from %d, token %v", len(hist.Parameters), hist.Parameters[0].Version, hist.NextToken)
	}
}
