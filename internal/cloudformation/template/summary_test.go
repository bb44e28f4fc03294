package template

import (
	"reflect"
	"testing"
)

func TestSummary(t *testing.T) {
	tmpl := mustParse(t, `
AWSTemplateFormatVersion: "2010-09-09"
Description: demo
Metadata: {Owner: me}
Parameters:
  Secret: {Type: String, NoEcho: true, Description: s}
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Resources:
  Role: {Type: "AWS::IAM::Role", Properties: {AssumeRolePolicyDocument: {}}}
  Policy: {Type: "AWS::IAM::Policy", Properties: {PolicyName: p}}
  Bucket: {Type: "AWS::S3::Bucket"}
  Role2: {Type: "AWS::IAM::Role"}
`)
	s := Summary(tmpl)
	want := &TemplateSummary{
		Version: "2010-09-09", Description: "demo", Metadata: `{"Owner":"me"}`,
		Parameters: []ParameterSummary{
			{Key: "Secret", Type: "String", Description: "s", NoEcho: true},
			{Key: "Env", Type: "String", Default: "dev", HasDefault: true, AllowedValues: []string{"dev", "prod"}},
		},
		Capabilities:       []string{"CAPABILITY_IAM"},
		CapabilitiesReason: "The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::Policy]",
		ResourceTypes:      []string{"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::S3::Bucket"},
	}
	want.Parameters[0].AllowedValues = []string{}
	s.Parameters[0].AllowedValues = []string{}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
}

func TestSummaryCapabilities(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"none", "Resources: {B: {Type: AWS::S3::Bucket}}", nil},
		{"named role", "Resources: {R: {Type: AWS::IAM::Role, Properties: {RoleName: !Sub \"${AWS::StackName}-r\"}}}", []string{"CAPABILITY_NAMED_IAM"}},
		{"named user", "Resources: {U: {Type: AWS::IAM::User, Properties: {UserName: u}}}", []string{"CAPABILITY_NAMED_IAM"}},
		{"transform", "Transform: AWS::Serverless-2016-10-31\nResources: {B: {Type: AWS::S3::Bucket}}", []string{"CAPABILITY_AUTO_EXPAND"}},
		{"iam and transform", "Transform: [AWS::LanguageExtensions]\nResources: {P: {Type: AWS::IAM::ManagedPolicy}}", []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Summary(mustParse(t, tc.body+"\n")).Capabilities; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
