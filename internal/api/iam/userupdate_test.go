package iam_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestUpdateUserAndUserTags(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("deployer")})).User
	key := must(e.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("deployer")})).AccessKey
	must(e.c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("deployer"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowLogs)}))

	must(e.c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("deployer"), Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	must(e.c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("deployer"), TagKeys: []string{"env"}}))
	tags := must(e.c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("deployer")}))
	if len(tags.Tags) != 1 || *tags.Tags[0].Key != "team" || tags.IsTruncated {
		t.Fatalf("tags = %+v", tags.Tags)
	}
	_, err := e.c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("nope"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	apiError(t, err, "NoSuchEntity", "The user with name nope cannot be found.")

	must(e.c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("deployer"), NewPath: aws.String("/ci/"), NewUserName: aws.String("ci")}))
	got := must(e.c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ci")})).User
	if *got.Arn != "arn:aws:iam::"+account+":user/ci/ci" || *got.UserId != *u.UserId || *got.Path != "/ci/" || len(got.Tags) != 1 {
		t.Fatalf("renamed user = %+v", got)
	}
	_, err = e.c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("deployer")})
	apiError(t, err, "NoSuchEntity", "The user with name deployer cannot be found.")
	keys := must(e.c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ci")}))
	if len(keys.AccessKeyMetadata) != 1 || *keys.AccessKeyMetadata[0].AccessKeyId != *key.AccessKeyId || *keys.AccessKeyMetadata[0].UserName != "ci" {
		t.Errorf("keys after the rename = %+v", keys.AccessKeyMetadata)
	}
	if pols := must(e.c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ci")})); len(pols.PolicyNames) != 1 {
		t.Errorf("policies after the rename = %v", pols.PolicyNames)
	}

	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("other")}))
	_, err = e.c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("ci"), NewUserName: aws.String("OTHER")})
	apiError(t, err, "EntityAlreadyExists", "User with name OTHER already exists.")
	_, err = e.c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("ci"), NewPath: aws.String("no-slashes")})
	apiError(t, err, "ValidationError", "")
	_, err = e.c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("nope"), NewPath: aws.String("/")})
	apiError(t, err, "NoSuchEntity", "The user with name nope cannot be found.")
}
