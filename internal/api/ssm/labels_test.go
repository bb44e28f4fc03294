package ssm_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

func TestLabels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	e.put(t, "/l", "one")
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/l"), Value: aws.String("two"), Overwrite: aws.Bool(true)}))(t)
	out := must(e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/l"), ParameterVersion: aws.Int64(1),
		Labels: []string{"prod", "1bad", "awsy", "ok.label"}}))(t)
	if out.ParameterVersion != 1 || !slices.Equal(out.InvalidLabels, []string{"1bad", "awsy"}) {
		t.Errorf("label output = v%d invalid %v", out.ParameterVersion, out.InvalidLabels)
	}
	got := must(e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/l:prod")}))(t).Parameter
	if aws.ToString(got.Value) != "one" || aws.ToString(got.Selector) != ":prod" {
		t.Errorf("/l:prod = %s (%s)", aws.ToString(got.Value), aws.ToString(got.Selector))
	}
	// Labelling the latest version (no ParameterVersion) moves the label.
	out = must(e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/l"), Labels: []string{"prod"}}))(t)
	if out.ParameterVersion != 2 {
		t.Errorf("labelled version = %d", out.ParameterVersion)
	}
	hist := must(e.C.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/l")}))(t).Parameters
	if len(hist) != 2 || !slices.Equal(hist[0].Labels, []string{"ok.label"}) || !slices.Equal(hist[1].Labels, []string{"prod"}) {
		t.Errorf("history labels = %v / %v", hist[0].Labels, hist[1].Labels)
	}
	if aws.ToString(hist[0].Value) != "one" || aws.ToString(hist[0].LastModifiedUser) != "arn:aws:iam::000000000000:root" {
		t.Errorf("history[0] = %+v", hist[0])
	}
	_, err := e.C.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/l:nolabel")})
	wantCode(t, err, "ParameterVersionNotFound")
	_, err = e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/l"), ParameterVersion: aws.Int64(9), Labels: []string{"x"}})
	wantCode(t, err, "ParameterVersionNotFound")
	_, err = e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/none"), Labels: []string{"x"}})
	wantCode(t, err, "ParameterNotFound")
	many := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"} // 1 + 10 labels on version 2
	_, err = e.C.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/l"), Labels: many})
	wantCode(t, err, "ParameterVersionLabelLimitExceeded")
	un := must(e.C.UnlabelParameterVersion(ctx, &ssm.UnlabelParameterVersionInput{Name: aws.String("/l"), ParameterVersion: aws.Int64(2), Labels: []string{"prod", "absent"}}))(t)
	if !slices.Equal(un.RemovedLabels, []string{"prod"}) || !slices.Equal(un.InvalidLabels, []string{"absent"}) {
		t.Errorf("unlabel = removed %v invalid %v", un.RemovedLabels, un.InvalidLabels)
	}
	_, err = e.C.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/none")})
	wantCode(t, err, "ParameterNotFound")
}
