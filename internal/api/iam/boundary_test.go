package iam_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestPermissionsBoundaries(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	pol := must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"), PolicyDocument: aws.String(allowLogs)}))
	arn := pol.Policy.Arn
	const awsBoundary = "arn:aws:iam::aws:policy/PowerUserAccess"

	_, err := e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust),
		PermissionsBoundary: aws.String("arn:aws:iam::" + account + ":policy/missing")})
	apiError(t, err, "NoSuchEntity", "Scope ARN: arn:aws:iam::"+account+":policy/missing does not exist or is not attachable.")
	if _, err := e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err == nil {
		t.Fatal("a role with a bad boundary was created")
	}

	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust), PermissionsBoundary: arn}))
	want := types.AttachedPermissionsBoundary{PermissionsBoundaryArn: arn, PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy}
	role := must(e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})).Role
	if b := role.PermissionsBoundary; b == nil || *b.PermissionsBoundaryArn != *want.PermissionsBoundaryArn || b.PermissionsBoundaryType != want.PermissionsBoundaryType {
		t.Fatalf("role boundary = %+v", b)
	}
	if listed := must(e.c.ListRoles(ctx, &iam.ListRolesInput{})).Roles; len(listed) != 1 || listed[0].PermissionsBoundary != nil {
		t.Errorf("ListRoles shows the boundary: %+v", listed)
	}
	if got := must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})).Policy; aws.ToInt32(got.PermissionsBoundaryUsageCount) != 1 {
		t.Errorf("usage count = %d", aws.ToInt32(got.PermissionsBoundaryUsageCount))
	}

	must(e.c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r"), PermissionsBoundary: aws.String(awsBoundary)}))
	role = must(e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})).Role
	if aws.ToString(role.PermissionsBoundary.PermissionsBoundaryArn) != awsBoundary {
		t.Errorf("after Put: %+v", role.PermissionsBoundary)
	}
	must(e.c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("r")}))
	if role = must(e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})).Role; role.PermissionsBoundary != nil {
		t.Errorf("after Delete: %+v", role.PermissionsBoundary)
	}
	_, err = e.c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("nope"), PermissionsBoundary: arn})
	apiError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
	_, err = e.c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r"), PermissionsBoundary: aws.String("short")})
	apiError(t, err, "ValidationError", "")

	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u"), PermissionsBoundary: arn}))
	user := must(e.c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")})).User
	if b := user.PermissionsBoundary; b == nil || *b.PermissionsBoundaryArn != *arn {
		t.Fatalf("user boundary = %+v", b)
	}
	must(e.c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: aws.String(awsBoundary)}))
	if got := must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})).Policy; aws.ToInt32(got.PermissionsBoundaryUsageCount) != 0 {
		t.Errorf("usage count after moving both = %d", aws.ToInt32(got.PermissionsBoundaryUsageCount))
	}
	must(e.c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("u")}))
	if user = must(e.c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")})).User; user.PermissionsBoundary != nil {
		t.Errorf("user boundary after Delete: %+v", user.PermissionsBoundary)
	}
	_, err = e.c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("nope")})
	apiError(t, err, "NoSuchEntity", "The user with name nope cannot be found.")
}
