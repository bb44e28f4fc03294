package ecs_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestAccountSettings(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	root := "arn:aws:iam::" + account + ":root"
	settings := func(in *ecs.ListAccountSettingsInput) map[types.SettingName]string {
		t.Helper()
		m := map[types.SettingName]string{}
		p := ecs.NewListAccountSettingsPaginator(c, in)
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			if len(out.Settings) > 10 {
				t.Errorf("page of %d settings, more than 10", len(out.Settings))
			}
			for _, s := range out.Settings {
				if aws.ToString(s.PrincipalArn) == "" {
					t.Errorf("setting %s has no principalArn", s.Name)
				}
				m[s.Name] = aws.ToString(s.Value)
			}
		}
		return m
	}

	t.Run("effective settings are the defaults", func(t *testing.T) {
		got := settings(&ecs.ListAccountSettingsInput{EffectiveSettings: true})
		if len(got) != len(types.SettingName("").Values()) {
			t.Errorf("%d effective settings, want one per SettingName (%d): %v", len(got), len(types.SettingName("").Values()), got)
		}
		for name, want := range map[types.SettingName]string{
			types.SettingNameServiceLongArnFormat: "enabled", types.SettingNameTaskLongArnFormat: "enabled",
			types.SettingNameContainerInsights: "disabled", types.SettingNameFargateTaskRetirementWaitPeriod: "7",
		} {
			if got[name] != want {
				t.Errorf("%s = %q, want %q", name, got[name], want)
			}
		}
		first := must(c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{EffectiveSettings: true}))(t)
		if len(first.Settings) != 10 || first.NextToken == nil {
			t.Errorf("first page = %d settings, nextToken %v; want 10 and a token", len(first.Settings), first.NextToken)
		}
	})

	t.Run("nothing set explicitly", func(t *testing.T) {
		if got := settings(&ecs.ListAccountSettingsInput{}); len(got) != 0 {
			t.Errorf("settings = %v, want none", got)
		}
	})

	t.Run("PutAccountSetting", func(t *testing.T) {
		out := must(c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: types.SettingNameContainerInsights, Value: aws.String("enabled")}))(t)
		if out.Setting.Name != types.SettingNameContainerInsights || aws.ToString(out.Setting.Value) != "enabled" || aws.ToString(out.Setting.PrincipalArn) != root {
			t.Errorf("setting = %+v", out.Setting)
		}
		got := settings(&ecs.ListAccountSettingsInput{Name: types.SettingNameContainerInsights})
		if len(got) != 1 || got[types.SettingNameContainerInsights] != "enabled" {
			t.Errorf("settings named containerInsights = %v", got)
		}
		if got := settings(&ecs.ListAccountSettingsInput{Value: aws.String("enabled")}); len(got) != 1 {
			t.Errorf("settings valued enabled = %v", got)
		}
		other := "arn:aws:iam::" + account + ":user/bob"
		must(c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: types.SettingNameAwsvpcTrunking, Value: aws.String("enabled"), PrincipalArn: aws.String(other)}))(t)
		if got := settings(&ecs.ListAccountSettingsInput{PrincipalArn: aws.String(other)}); len(got) != 1 || got[types.SettingNameAwsvpcTrunking] != "enabled" {
			t.Errorf("bob's settings = %v", got)
		}
		if got := settings(&ecs.ListAccountSettingsInput{EffectiveSettings: true}); got[types.SettingNameAwsvpcTrunking] != "disabled" {
			t.Errorf("root's awsvpcTrunking = %q, want bob's setting not to leak", got[types.SettingNameAwsvpcTrunking])
		}
	})

	t.Run("PutAccountSettingDefault", func(t *testing.T) {
		must(c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: types.SettingNameFargateTaskRetirementWaitPeriod, Value: aws.String("14")}))(t)
		got := settings(&ecs.ListAccountSettingsInput{EffectiveSettings: true, Name: types.SettingNameFargateTaskRetirementWaitPeriod})
		if got[types.SettingNameFargateTaskRetirementWaitPeriod] != "14" {
			t.Errorf("effective fargateTaskRetirementWaitPeriod = %v, want 14", got)
		}
	})

	t.Run("DeleteAccountSetting", func(t *testing.T) {
		out := must(c.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingInput{Name: types.SettingNameContainerInsights}))(t)
		if out.Setting.Name != types.SettingNameContainerInsights {
			t.Errorf("deleted = %+v", out.Setting)
		}
		if got := settings(&ecs.ListAccountSettingsInput{Name: types.SettingNameContainerInsights}); len(got) != 0 {
			t.Errorf("after delete = %v", got)
		}
		if got := settings(&ecs.ListAccountSettingsInput{EffectiveSettings: true, Name: types.SettingNameContainerInsights}); got[types.SettingNameContainerInsights] != "disabled" {
			t.Errorf("effective after delete = %v, want the default back", got)
		}
	})

	errs := []struct {
		name string
		call func() error
	}{
		{"put unknown name", func() error {
			_, err := c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: "nope", Value: aws.String("enabled")})
			return err
		}},
		{"put empty value", func() error {
			_, err := c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: types.SettingNameContainerInsights, Value: aws.String("")})
			return err
		}},
		{"put bad retirement period", func() error {
			_, err := c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: types.SettingNameFargateTaskRetirementWaitPeriod, Value: aws.String("3")})
			return err
		}},
		{"default unknown name", func() error {
			_, err := c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: "nope", Value: aws.String("enabled")})
			return err
		}},
		{"delete unknown name", func() error {
			_, err := c.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingInput{Name: "nope"})
			return err
		}},
		{"list maxResults 11", func() error {
			_, err := c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{MaxResults: 11})
			return err
		}},
		{"list bad token", func() error {
			_, err := c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{EffectiveSettings: true, NextToken: aws.String("x")})
			return err
		}},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { requireErr[*types.InvalidParameterException](t, tc.call(), "") })
	}
}
