package ssm_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

// TestBootstrapped: with Options.Bootstrap every region answers the CDK
// CLI's first SSM call (the exact request it sends) with version 30, and
// CloudFormation deploying the bootstrap template replaces the seed.
func TestBootstrapped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{Bootstrap: true})
	ctx := t.Context()
	for _, reg := range []string{"us-east-1", "eu-west-3"} {
		got := must(e.client(reg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version"), WithDecryption: aws.Bool(true)}))(t).Parameter
		if aws.ToString(got.Value) != "30" || got.Type != types.ParameterTypeString || got.Version != 1 {
			t.Errorf("%s: bootstrap version = %+v", reg, got)
		}
	}
	// The template's AWS::SSM::Parameter creates the parameter (no
	// Overwrite): it takes the seed over.
	out := must(e.API.Store("us-east-1").PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(ssmapi.BootstrapVersionName),
		Value: aws.String("33"), Type: types.ParameterTypeString}))(t)
	if out.Version != 1 {
		t.Errorf("take-over version = %d, want 1 (a new parameter)", out.Version)
	}
	value, version, err := e.API.GetValue("us-east-1", ssmapi.BootstrapVersionName)
	if err != nil || value != "33" || version != 1 {
		t.Errorf("GetValue = %q %d %v", value, version, err)
	}
	// Once taken over it is an ordinary parameter.
	_, err = e.API.Store("us-east-1").PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(ssmapi.BootstrapVersionName),
		Value: aws.String("34"), Type: types.ParameterTypeString})
	wantCode(t, err, "ParameterAlreadyExists")
	// Deleting it is kept: a store is seeded only when first used.
	must(e.C.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(ssmapi.BootstrapVersionName)}))(t)
	_, err = e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(ssmapi.BootstrapVersionName)})
	wantCode(t, err, "ParameterNotFound")
}

func TestNotBootstrappedByDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	_, err := e.C.GetParameter(t.Context(), &ssm.GetParameterInput{Name: aws.String(ssmapi.BootstrapVersionName)})
	wantCode(t, err, "ParameterNotFound")
}

func TestGetValue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	e.put(t, "/cfg/image", "v1")
	must(e.C.PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String("/cfg/image"), Value: aws.String("v2"), Overwrite: aws.Bool(true)}))(t)
	must(e.C.PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String("/cfg/pw"), Value: aws.String("pw"), Type: types.ParameterTypeSecureString}))(t)
	tests := []struct {
		name, value string
		version     int64
		code        string
	}{
		{"/cfg/image", "v2", 2, ""},
		{"/cfg/image:1", "v1", 1, ""},
		{"/cfg/pw", "pw", 1, ""},
		{"/cfg/none", "", 0, "ParameterNotFound"},
		{"/cfg/image:3", "", 0, "ParameterVersionNotFound"},
	}
	for _, tc := range tests {
		value, version, err := e.API.GetValue(region, tc.name)
		if tc.code != "" {
			wantCode(t, err, tc.code)
			continue
		}
		if err != nil || value != tc.value || version != tc.version {
			t.Errorf("GetValue(%s) = %q %d %v", tc.name, value, version, err)
		}
	}
	// Another region has its own parameters.
	if _, _, err := e.API.GetValue("eu-west-1", "/cfg/image"); err == nil {
		t.Error("eu-west-1 sees us-east-1's parameter")
	}
}
