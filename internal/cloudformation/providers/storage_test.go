package providers

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func TestLogGroupLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.apis.Logs.StoreFor(testAccount, testRegion)
	describe := func(name string) *cloudwatchlogs.DescribeLogGroupsOutput {
		in := &cloudwatchlogs.DescribeLogGroupsInput{}
		if name != "" {
			in.LogGroupNamePrefix = &name
		}
		out, err := s.DescribeLogGroups(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	req, res := e.create(t, "AWS::Logs::LogGroup", "ApiTaskDefapiLogGroup9FDF1262", map[string]any{"RetentionInDays": "7"})
	name := res.PhysicalID
	if !strings.HasPrefix(name, "TutorialStack-ApiTaskDefapiLogGroup9FDF1262-") ||
		res.Attributes["Arn"] != "arn:aws:logs:us-east-1:000000000000:log-group:"+name+":*" {
		t.Errorf("log group = %+v", res)
	}
	if g := describe(name).LogGroups; len(g) != 1 || deref(g[0].RetentionInDays) != 7 {
		t.Fatalf("described = %+v", g)
	}
	tags, _ := s.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: ptr(strings.TrimSuffix(res.Attributes["Arn"].(string), ":*"))})
	if !reflect.DeepEqual(tags.Tags, map[string]string{"team": "blue"}) {
		t.Errorf("tags = %v", tags.Tags)
	}

	e.update(t, req, map[string]any{"Tags": []any{map[string]any{"Key": "k", "Value": "v"}}})
	if g := describe(name).LogGroups; g[0].RetentionInDays != nil {
		t.Errorf("retention after dropping RetentionInDays = %d", deref(g[0].RetentionInDays))
	}
	tags, _ = s.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: ptr(strings.TrimSuffix(res.Attributes["Arn"].(string), ":*"))})
	if !reflect.DeepEqual(tags.Tags, map[string]string{"k": "v", "team": "blue"}) {
		t.Errorf("tags after update = %v", tags.Tags)
	}
	if !e.reg["AWS::Logs::LogGroup"].Replaces(map[string]any{}, map[string]any{"LogGroupName": "x"}) ||
		e.reg["AWS::Logs::LogGroup"].Replaces(map[string]any{}, map[string]any{"RetentionInDays": 1}) {
		t.Error("Replaces: a name replaces, a retention does not")
	}
	e.deleteTwice(t, req)
	if len(describe(name).LogGroups) != 0 {
		t.Error("log group left after delete")
	}

	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"RetentionInDays": 2}, "InvalidParameterException"},
		{map[string]any{"DataProtectionPolicy": map[string]any{}}, "Encountered unsupported property DataProtectionPolicy"},
		{map[string]any{"LogGroupName": "bad name!"}, "InvalidParameterException"},
	} {
		_, err := e.reg["AWS::Logs::LogGroup"].Create(testCtx(t), request("AWS::Logs::LogGroup", "G", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
	if g := describe("").LogGroups; len(g) != 0 {
		t.Errorf("a failed create left %+v", g)
	}
}

func TestSSMParameterLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.apis.SSM.StoreFor(testAccount, testRegion)
	req, res := e.create(t, "AWS::SSM::Parameter", "CdkBootstrapVersion", map[string]any{"Type": "String", "Value": "33",
		"Tags": map[string]any{"k": "v"}})
	if !strings.HasPrefix(res.PhysicalID, "CFN-CdkBootstrapVersion-") || res.Attributes["Value"] != "33" || res.Attributes["Type"] != "String" {
		t.Errorf("parameter = %+v", res)
	}
	e.update(t, req, map[string]any{"Type": "String", "Value": "34", "Description": "d"})
	got, err := s.GetParameter(ctx, &ssm.GetParameterInput{Name: &res.PhysicalID})
	if err != nil || deref(got.Parameter.Value) != "34" || got.Parameter.Version != 2 {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	tags, _ := s.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingParameter, ResourceId: &res.PhysicalID})
	if len(tags.TagList) != 1 || deref(tags.TagList[0].Key) != "team" {
		t.Errorf("tags after dropping k = %+v", tags.TagList)
	}
	e.deleteTwice(t, req)
	if _, err := s.GetParameter(ctx, &ssm.GetParameterInput{Name: &res.PhysicalID}); !isCode(err, "ParameterNotFound") {
		t.Errorf("after delete: %v", err)
	}
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"Type": "SecureString", "Value": "x"}, "SSM Parameters of type SecureString cannot be created using CloudFormation"},
		{map[string]any{"Type": "String"}, "ValidationException"},
		{map[string]any{"Type": "String", "Value": "x", "Overwrite": true}, "Encountered unsupported property Overwrite"},
	} {
		_, err := e.reg["AWS::SSM::Parameter"].Create(testCtx(t), request("AWS::SSM::Parameter", "P", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
}

func TestS3BucketAndPolicy(t *testing.T) {
	e := newEnv(t)
	bucketReq, b := e.create(t, "AWS::S3::Bucket", "StagingBucket", map[string]any{
		"VersioningConfiguration": map[string]any{"Status": "Enabled"}, "AccessControl": "Private"})
	name := b.PhysicalID
	if name != strings.ToLower(name) || !strings.HasPrefix(name, "tutorialstack-stagingbucket-") || len(name) > 63 {
		t.Errorf("generated bucket name %q", name)
	}
	want := map[string]any{
		"Arn": "arn:aws:s3:::" + name, "DomainName": name + ".s3.amazonaws.com",
		"RegionalDomainName": name + ".s3.us-east-1.amazonaws.com", "DualStackDomainName": name + ".s3.dualstack.us-east-1.amazonaws.com",
		"WebsiteURL": "http://" + name + ".s3-website-us-east-1.amazonaws.com",
	}
	if !reflect.DeepEqual(b.Attributes, want) {
		t.Errorf("attributes = %v", b.Attributes)
	}
	if region, ok := e.apis.S3.BucketRegion(name); !ok || region != testRegion {
		t.Errorf("bucket region = %q, %v", region, ok)
	}
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": []any{"arn:aws:s3:::" + name}}}}
	polReq, pol := e.create(t, "AWS::S3::BucketPolicy", "StagingBucketPolicy", map[string]any{"Bucket": name, "PolicyDocument": policy})
	if pol.PhysicalID != name {
		t.Errorf("policy ID = %q", pol.PhysicalID)
	}
	if doc, err := e.apis.S3.BucketPolicy(name); err != nil || !strings.Contains(doc, `"Effect":"Deny"`) {
		t.Errorf("stored policy = %q, %v", doc, err)
	}
	if err := e.apis.S3.PutObject(name, "k", []byte("x"), ""); err != nil {
		t.Fatal(err)
	}
	if err := e.reg["AWS::S3::Bucket"].Delete(testCtx(t), bucketReq); !isCode(err, "BucketNotEmpty") {
		t.Errorf("deleting a bucket with an object: %v", err)
	}
	e.deleteTwice(t, polReq)
	if doc, _ := e.apis.S3.BucketPolicy(name); doc != "" {
		t.Errorf("policy after delete = %q", doc)
	}
	if _, err := e.reg["AWS::S3::Bucket"].Create(testCtx(t), request("AWS::S3::Bucket", "B", map[string]any{"BucketName": name})); !isCode(err, "BucketAlreadyOwnedByYou") {
		t.Errorf("second bucket of the name: %v", err)
	}
	if _, err := e.reg["AWS::S3::Bucket"].Create(testCtx(t), request("AWS::S3::Bucket", "B", map[string]any{"WebsiteConfiguration": map[string]any{}})); err == nil ||
		!strings.Contains(err.Error(), "Encountered unsupported property WebsiteConfiguration") {
		t.Errorf("website bucket: %v", err)
	}
	if got := websiteHost("eu-central-1"); got != ".s3-website.eu-central-1.amazonaws.com" {
		t.Errorf("website host of a newer region = %q", got)
	}
}
