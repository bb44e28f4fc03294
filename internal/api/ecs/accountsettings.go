package ecs

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// accountSettings keeps account defaults and per-principal overrides. The
// long ARN formats are always on, as they are in AWS today.
type accountSettings struct {
	defaults   map[types.SettingName]string
	principals map[string]map[types.SettingName]string
}

func newAccountSettings() accountSettings {
	return accountSettings{
		defaults: map[types.SettingName]string{
			types.SettingNameServiceLongArnFormat:            "enabled",
			types.SettingNameTaskLongArnFormat:               "enabled",
			types.SettingNameContainerInstanceLongArnFormat:  "enabled",
			types.SettingNameAwsvpcTrunking:                  "disabled",
			types.SettingNameContainerInsights:               "disabled",
			types.SettingNameFargateFipsMode:                 "disabled",
			types.SettingNameTagResourceAuthorization:        "on",
			types.SettingNameFargateTaskRetirementWaitPeriod: "7",
			types.SettingNameGuardDutyActivate:               "off",
			types.SettingNameDefaultLogDriverMode:            "non-blocking",
			types.SettingNameFargateEventWindows:             "disabled",
		},
		principals: map[string]map[types.SettingName]string{},
	}
}

func (s *Store) rootPrincipal() string { return "arn:aws:iam::" + s.account + ":root" }

// validSetting checks a setting name and value.
func validSetting(name types.SettingName, value string) error {
	known := false
	for _, n := range name.Values() {
		known = known || n == name
	}
	if !known {
		return errInvalidParameter("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy enum value set: %v", name, name.Values())
	}
	if value == "" {
		return errInvalidParameter("value can not be empty.")
	}
	if name == types.SettingNameFargateTaskRetirementWaitPeriod && value != "0" && value != "7" && value != "14" {
		return errInvalidParameter("Invalid value for fargateTaskRetirementWaitPeriod. Valid values are 0, 7, or 14.")
	}
	return nil
}

func (s *Store) PutAccountSettingDefault(_ context.Context, in *ecs.PutAccountSettingDefaultInput) (*ecs.PutAccountSettingDefaultOutput, error) {
	if err := validSetting(in.Name, deref(in.Value)); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	s.settings.defaults[in.Name] = *in.Value
	s.touch(recSettings, "account")
	return &ecs.PutAccountSettingDefaultOutput{Setting: &types.Setting{
		Name: in.Name, Value: in.Value, PrincipalArn: ptr(s.rootPrincipal()), Type: types.SettingTypeUser,
	}}, nil
}

func (s *Store) PutAccountSetting(_ context.Context, in *ecs.PutAccountSettingInput) (*ecs.PutAccountSettingOutput, error) {
	if err := validSetting(in.Name, deref(in.Value)); err != nil {
		return nil, err
	}
	principal := deref(in.PrincipalArn)
	if principal == "" {
		principal = s.rootPrincipal()
	}
	unlock := s.lock()
	defer unlock()
	m := s.settings.principals[principal]
	if m == nil {
		m = map[types.SettingName]string{}
		s.settings.principals[principal] = m
	}
	m[in.Name] = *in.Value
	s.touch(recSettings, "account")
	return &ecs.PutAccountSettingOutput{Setting: &types.Setting{
		Name: in.Name, Value: in.Value, PrincipalArn: ptr(principal), Type: types.SettingTypeUser,
	}}, nil
}

func (s *Store) DeleteAccountSetting(_ context.Context, in *ecs.DeleteAccountSettingInput) (*ecs.DeleteAccountSettingOutput, error) {
	if err := validSetting(in.Name, "x"); err != nil {
		return nil, err
	}
	principal := deref(in.PrincipalArn)
	if principal == "" {
		principal = s.rootPrincipal()
	}
	unlock := s.lock()
	defer unlock()
	value := s.settings.defaults[in.Name]
	if m := s.settings.principals[principal]; m != nil {
		if v, ok := m[in.Name]; ok {
			value = v
			delete(m, in.Name)
			s.touch(recSettings, "account")
		}
	}
	return &ecs.DeleteAccountSettingOutput{Setting: &types.Setting{
		Name: in.Name, Value: ptr(value), PrincipalArn: ptr(principal), Type: types.SettingTypeUser,
	}}, nil
}

func (s *Store) ListAccountSettings(_ context.Context, in *ecs.ListAccountSettingsInput) (*ecs.ListAccountSettingsOutput, error) {
	if err := validEnum(in.Name, "name"); err != nil {
		return nil, err
	}
	principal := deref(in.PrincipalArn)
	if principal == "" {
		principal = s.rootPrincipal()
	}
	unlock := s.lock()
	var list []types.Setting
	own := s.settings.principals[principal]
	for name, def := range s.settings.defaults {
		value, set := own[name]
		if !set {
			if !in.EffectiveSettings {
				continue
			}
			value = def
		}
		if in.Name != "" && in.Name != name || in.Value != nil && *in.Value != value {
			continue
		}
		list = append(list, types.Setting{Name: name, Value: ptr(value), PrincipalArn: ptr(principal), Type: types.SettingTypeUser})
	}
	unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	var max *int32
	if in.MaxResults != 0 {
		max = &in.MaxResults
	}
	pg, next, err := page(list, in.NextToken, max, 10, 10)
	if err != nil {
		return nil, err
	}
	return &ecs.ListAccountSettingsOutput{Settings: nonNil(pg), NextToken: next}, nil
}
