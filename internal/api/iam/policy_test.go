package iam_test

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestManagedPolicyVersions(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p := must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("logs"), Path: aws.String("/team/"), PolicyDocument: aws.String(allowLogs)})).Policy
	arn := "arn:aws:iam::" + account + ":policy/team/logs"
	if *p.Arn != arn || !regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`).MatchString(*p.PolicyId) || *p.DefaultVersionId != "v1" || !p.IsAttachable {
		t.Fatalf("policy %+v", p)
	}
	_, err := e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Logs"), PolicyDocument: aws.String(allowLogs)})
	apiError(t, err, "EntityAlreadyExists", "A policy called Logs already exists. Duplicate names are not allowed.")

	v2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"logs:*","Resource":"*"}]}`
	ver := must(e.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(v2), SetAsDefault: true})).PolicyVersion
	if *ver.VersionId != "v2" || !ver.IsDefaultVersion {
		t.Fatalf("version %+v", ver)
	}
	got := must(e.c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v2")})).PolicyVersion
	if doc, _ := url.QueryUnescape(*got.Document); doc != v2 {
		t.Fatalf("document %s", doc)
	}
	for range 3 {
		must(e.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(allowLogs)}))
	}
	_, err = e.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(allowLogs)})
	apiError(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	versions := must(e.c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &arn})).Versions
	if len(versions) != 5 || *versions[0].VersionId != "v5" || versions[0].Document != nil {
		t.Fatalf("versions %+v", versions)
	}
	_, err = e.c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v2")})
	apiError(t, err, "DeleteConflict", "Cannot delete the default version of a policy.")
	must(e.c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v1")}))
	if d := *must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})).Policy.DefaultVersionId; d != "v1" {
		t.Fatalf("default %s", d)
	}
	_, err = e.c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &arn})
	apiError(t, err, "DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	for _, id := range []string{"v2", "v3", "v4", "v5"} {
		must(e.c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: aws.String(id)}))
	}
	_, err = e.c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v9")})
	apiError(t, err, "NoSuchEntity", "")
	must(e.c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &arn}))
	_, err = e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})
	apiError(t, err, "NoSuchEntity", "Policy "+arn+" does not exist or is not attachable.")
}

func TestAWSManagedPolicies(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	for _, name := range []string{"AdministratorAccess", "ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "CloudWatchLogsFullAccess", "AmazonSSMReadOnlyAccess",
		"AmazonECSTaskExecutionRolePolicy", "service-role/AmazonECSTaskExecutionRolePolicy", "service-role/AWSLambdaBasicExecutionRole", "AmazonEC2ContainerRegistryReadOnly"} {
		arn := "arn:aws:iam::aws:policy/" + name
		p := must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})).Policy
		v := must(e.c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: p.DefaultVersionId})).PolicyVersion
		if *p.Arn != arn || v.Document == nil {
			t.Fatalf("%s: %+v", name, p)
		}
	}
	byAWS := must(e.c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, PathPrefix: ptr("/service-role/")})).Policies
	if len(byAWS) != 2 {
		t.Fatalf("AWS /service-role/ policies: %d", len(byAWS))
	}
	must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: ptr("mine"), PolicyDocument: ptr(allowLogs)}))
	local := must(e.c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})).Policies
	if len(local) != 1 || *local[0].PolicyName != "mine" {
		t.Fatalf("local policies %+v", local)
	}
	_, err := e.c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "Everything"})
	apiError(t, err, "ValidationError", "1 validation error detected: Value 'Everything' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]")
}

func ptr[T any](v T) *T { return &v }

func TestAttachments(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: ptr("r"), AssumeRolePolicyDocument: ptr(trust)}))
	local := *must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: ptr("mine"), PolicyDocument: ptr(allowLogs)})).Policy.Arn
	exec := "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	uncatalogued := "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
	for _, arn := range []string{local, exec, uncatalogued, exec} {
		must(e.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: ptr("r"), PolicyArn: ptr(arn)}))
	}
	_, err := e.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: ptr("r"), PolicyArn: ptr("arn:aws:iam::" + account + ":policy/none")})
	apiError(t, err, "NoSuchEntity", "Policy arn:aws:iam::"+account+":policy/none does not exist or is not attachable.")
	att := must(e.c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: ptr("r")})).AttachedPolicies
	if len(att) != 3 || *att[1].PolicyName != "AmazonECSTaskExecutionRolePolicy" {
		t.Fatalf("attached %+v", att)
	}
	sr := must(e.c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: ptr("r"), PathPrefix: ptr("/service-role/")})).AttachedPolicies
	if len(sr) != 1 {
		t.Fatalf("under /service-role/: %+v", sr)
	}
	if n := *must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &exec})).Policy.AttachmentCount; n != 1 {
		t.Fatalf("attachment count %d", n)
	}
	attached := must(e.c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})).Policies
	if len(attached) != 2 { // the uncatalogued AWS policy is not listed
		t.Fatalf("only attached: %d", len(attached))
	}
	_, err = e.c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &local})
	apiError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
	_, err = e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: ptr("r")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	for _, arn := range []string{local, exec, uncatalogued} {
		must(e.c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: ptr("r"), PolicyArn: ptr(arn)}))
	}
	_, err = e.c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: ptr("r"), PolicyArn: &exec})
	apiError(t, err, "NoSuchEntity", "Policy "+exec+" was not found.")
	must(e.c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &local}))
	must(e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: ptr("r")}))

	// Users take managed policies the same way.
	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: ptr("u")}))
	must(e.c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: ptr("u"), PolicyArn: &exec}))
	if n := len(must(e.c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: ptr("u")})).AttachedPolicies); n != 1 {
		t.Fatalf("user policies %d", n)
	}
	_, err = e.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: ptr("u")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	must(e.c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: ptr("u"), PolicyArn: &exec}))
	must(e.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: ptr("u")}))
}
