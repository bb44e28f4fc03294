package iam_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

var roleIDRe = regexp.MustCompile(`^AROA[A-Z2-7]{17}$`)

func TestRoleLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	out := must(e.c.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("task"), Path: aws.String("/app/"), AssumeRolePolicyDocument: aws.String(trust),
		Description: aws.String("task role"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	}))
	r := out.Role
	if *r.Arn != "arn:aws:iam::"+account+":role/app/task" || !roleIDRe.MatchString(*r.RoleId) || *r.MaxSessionDuration != 3600 || !r.CreateDate.Equal(now) {
		t.Fatalf("role = %+v", r)
	}
	// Documents come back URL-encoded, as IAM returns them.
	if doc, _ := url.QueryUnescape(*r.AssumeRolePolicyDocument); doc != trust || !strings.HasPrefix(*r.AssumeRolePolicyDocument, "%7B%22Version%22%3A") {
		t.Fatalf("document %q", *r.AssumeRolePolicyDocument)
	}
	_, err := e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("TASK"), AssumeRolePolicyDocument: aws.String(trust)})
	apiError(t, err, "EntityAlreadyExists", "Role with name TASK already exists.")

	// IAM is global: a client signing for another region sees the role.
	got := must(e.client("test", "ap-south-1").GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("task")}))
	if *got.Role.RoleId != *r.RoleId || len(got.Role.Tags) != 1 || *got.Role.Description != "task role" {
		t.Fatalf("GetRole = %+v", got.Role)
	}
	_, err = e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	apiError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")

	must(e.c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("task"), MaxSessionDuration: aws.Int32(7200), Description: aws.String("d2")}))
	desc := must(e.c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("task"), Description: aws.String("d3")}))
	if *desc.Role.Description != "d3" || *desc.Role.MaxSessionDuration != 7200 {
		t.Fatalf("after updates: %+v", desc.Role)
	}
	newTrust := strings.Replace(trust, "ecs-tasks", "lambda", 1)
	must(e.c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("task"), PolicyDocument: aws.String(newTrust)}))
	got = must(e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("task")}))
	if doc, _ := url.QueryUnescape(*got.Role.AssumeRolePolicyDocument); doc != newTrust {
		t.Fatalf("trust %s", doc)
	}

	must(e.c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("task"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	must(e.c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("task"), TagKeys: []string{"env"}}))
	tags := must(e.c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("task")}))
	if len(tags.Tags) != 1 || *tags.Tags[0].Value != "b" || tags.IsTruncated {
		t.Fatalf("tags = %+v", tags.Tags)
	}

	must(e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("task")}))
	_, err = e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("task")})
	apiError(t, err, "NoSuchEntity", "The role with name task cannot be found.")
}

func TestListRolesPagesAndFiltersByPath(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		path := "/a/"
		if i%2 == 1 {
			path = "/b/"
		}
		must(e.c.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("r%d", i)), Path: aws.String(path), AssumeRolePolicyDocument: aws.String(trust)}))
	}
	var names []string
	p := iam.NewListRolesPaginator(e.c, &iam.ListRolesInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out := must(p.NextPage(t.Context()))
		for _, r := range out.Roles {
			if r.Tags != nil {
				t.Errorf("ListRoles returned tags for %s", *r.RoleName)
			}
			names = append(names, *r.RoleName)
		}
	}
	if strings.Join(names, ",") != "r0,r1,r2,r3,r4" {
		t.Fatalf("roles %v", names)
	}
	b := must(e.c.ListRoles(t.Context(), &iam.ListRolesInput{PathPrefix: aws.String("/b/")}))
	if len(b.Roles) != 2 || b.IsTruncated {
		t.Fatalf("/b/ roles = %d", len(b.Roles))
	}
	_, err := e.c.ListRoles(t.Context(), &iam.ListRolesInput{Marker: aws.String("bogus")})
	apiError(t, err, "ValidationError", "Invalid Marker")
}

func TestCreateRoleValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name          string
		in            iam.CreateRoleInput
		code, message string
	}{
		{"name pattern", iam.CreateRoleInput{RoleName: aws.String("bad name"), AssumeRolePolicyDocument: aws.String(trust)}, "ValidationError",
			`1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"name too long", iam.CreateRoleInput{RoleName: aws.String(strings.Repeat("n", 65)), AssumeRolePolicyDocument: aws.String(trust)}, "ValidationError",
			"1 validation error detected: Value '" + strings.Repeat("n", 65) + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"path", iam.CreateRoleInput{RoleName: aws.String("r"), Path: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}, "ValidationError",
			`1 validation error detected: Value 'app' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"session", iam.CreateRoleInput{RoleName: aws.String("r"), MaxSessionDuration: aws.Int32(60), AssumeRolePolicyDocument: aws.String(trust)}, "ValidationError",
			"1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"invalid JSON", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{")}, "MalformedPolicyDocument", "This policy contains invalid Json"},
		{"no statement", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17"}`)}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"bad effect", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(`{"Statement":{"Effect":"Maybe"}}`)}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"bad version", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(`{"Version":"2020-01-01","Statement":[]}`)}, "MalformedPolicyDocument", "The policy failed legacy parsing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.CreateRole(t.Context(), &tc.in)
			apiError(t, err, tc.code, tc.message)
		})
	}
}

func TestInlineRolePolicies(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)}))
	must(e.c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("logs"), PolicyDocument: aws.String(allowLogs)}))
	must(e.c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("alpha"), PolicyDocument: aws.String(allowLogs)}))
	got := must(e.c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("logs")}))
	if doc, _ := url.QueryUnescape(*got.PolicyDocument); doc != allowLogs || *got.RoleName != "r" {
		t.Fatalf("GetRolePolicy = %s", *got.PolicyDocument)
	}
	names := must(e.c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("r")}))
	if strings.Join(names.PolicyNames, ",") != "alpha,logs" {
		t.Fatalf("names %v", names.PolicyNames)
	}
	_, err := e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	must(e.c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("logs")}))
	_, err = e.c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("logs")})
	apiError(t, err, "NoSuchEntity", "The role policy with name logs cannot be found.")
	_, err = e.c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("x"), PolicyDocument: aws.String("[]")})
	apiError(t, err, "MalformedPolicyDocument", "This policy contains invalid Json")
}

func TestServiceLinkedRole(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	out := must(e.c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")}))
	if *out.Role.RoleName != "AWSServiceRoleForECS" || *out.Role.Path != "/aws-service-role/ecs.amazonaws.com/" {
		t.Fatalf("role %s %s", *out.Role.RoleName, *out.Role.Path)
	}
	att := must(e.c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("AWSServiceRoleForECS")}))
	if len(att.AttachedPolicies) != 1 || *att.AttachedPolicies[0].PolicyName != "AmazonECSServiceRolePolicy" {
		t.Fatalf("attached %+v", att.AttachedPolicies)
	}
	_, err := e.c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})
	apiError(t, err, "InvalidInput", "Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.")
	_, err = e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("AWSServiceRoleForECS")})
	apiError(t, err, "UnmodifiableEntity", "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS")
	// Its description is the one thing the account may edit.
	if d := must(e.c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("AWSServiceRoleForECS"), Description: aws.String("ours")})); aws.ToString(d.Role.Description) != "ours" {
		t.Errorf("service-linked role description = %q", aws.ToString(d.Role.Description))
	}
	other := must(e.c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("logs.amazonaws.com"), CustomSuffix: aws.String("x")}))
	if *other.Role.RoleName != "AWSServiceRoleForLogs_x" {
		t.Fatalf("generic name %s", *other.Role.RoleName)
	}
	del := must(e.c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForECS")}))
	st := must(e.c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: del.DeletionTaskId}))
	if st.Status != types.DeletionTaskStatusTypeSucceeded {
		t.Fatalf("status %s", st.Status)
	}
	_, err = e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForECS")})
	apiError(t, err, "NoSuchEntity", "")
}
