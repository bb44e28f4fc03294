package iam_test

import (
	"context"
	"log/slog"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/state"
)

// snapshot is what List and Get show of the test's entities.
type snapshot struct {
	Roles        []types.Role
	Role         *types.Role
	RolePolicies []string
	RoleInline   *string
	RoleAttached []types.AttachedPolicy
	Users        []types.User
	User         *types.User
	UserPolicies []string
	UserAttached []types.AttachedPolicy
	Keys         []types.AccessKeyMetadata
	Policies     []types.Policy
	Attached     []types.Policy // AWS and local policies in use, with their counts
	Versions     []types.PolicyVersion
	Profiles     []types.InstanceProfile
	Certs        []types.ServerCertificateMetadata
	Cert         *types.ServerCertificate
	Summary      map[string]int32
}

func (e *env) snapshot(t *testing.T, ctx context.Context, policyARN string) snapshot {
	t.Helper()
	return snapshot{
		Roles:        must(e.c.ListRoles(ctx, &iam.ListRolesInput{})).Roles,
		Role:         must(e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})).Role,
		RolePolicies: must(e.c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")})).PolicyNames,
		RoleInline:   must(e.c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("logs")})).PolicyDocument,
		RoleAttached: must(e.c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})).AttachedPolicies,
		Users:        must(e.c.ListUsers(ctx, &iam.ListUsersInput{})).Users,
		User:         must(e.c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("deployer")})).User,
		UserPolicies: must(e.c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("deployer")})).PolicyNames,
		UserAttached: must(e.c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("deployer")})).AttachedPolicies,
		Keys:         must(e.c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("deployer")})).AccessKeyMetadata,
		Policies:     must(e.c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})).Policies,
		Attached:     must(e.c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})).Policies,
		Versions:     must(e.c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &policyARN})).Versions,
		Profiles:     must(e.c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})).InstanceProfiles,
		Certs:        must(e.c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{})).ServerCertificateMetadataList,
		Cert:         must(e.c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www")})).ServerCertificate,
		Summary:      must(e.c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap,
	}
}

// TestRestoreAfterRestart creates, changes and deletes entities of every
// kind, restarts on the same state directory and compares what List and
// Get show, and what STS looks up.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	readOnly := "arn:aws:iam::aws:policy/ReadOnlyAccess"

	policy := must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("logs"), PolicyDocument: aws.String(allowLogs)})).Policy
	must(e.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: policy.Arn, PolicyDocument: aws.String(allowLogs), SetAsDefault: true}))
	must(e.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: policy.Arn, PolicyDocument: aws.String(allowLogs)}))
	must(e.c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: policy.Arn, VersionId: aws.String("v1")}))
	boundary := must(e.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"), PolicyDocument: aws.String(allowLogs)})).Policy

	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}))
	must(e.c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), Description: aws.String("the app"), MaxSessionDuration: aws.Int32(7200)}))
	must(e.c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: boundary.Arn}))
	must(e.c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("logs"), PolicyDocument: aws.String(allowLogs)}))
	must(e.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: policy.Arn}))
	must(e.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: &readOnly}))
	must(e.c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	must(e.c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")}))
	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("gone"), AssumeRolePolicyDocument: aws.String(trust)}))
	must(e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("gone")}))

	must(e.c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("app")}))
	must(e.c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("app"), RoleName: aws.String("app")}))

	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci")}))
	key := must(e.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})).AccessKey
	must(e.c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive}))
	must(e.c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("ci"), NewUserName: aws.String("deployer"), NewPath: aws.String("/ops/")}))
	must(e.c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("deployer"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(allowLogs)}))
	must(e.c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("deployer"), PolicyArn: &readOnly}))
	must(e.c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("deployer"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))
	must(e.c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("deployer"), PermissionsBoundary: boundary.Arn}))

	body, pem := selfSigned(t, "www.example.com")
	cert := must(e.c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"), CertificateBody: &body, PrivateKey: &pem})).ServerCertificateMetadata

	before := e.snapshot(t, ctx, *policy.Arn)
	e.closeState(t)
	e = newEnvAt(t, dir, true)
	if after := e.snapshot(t, ctx, *policy.Arn); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	if u, ok := e.api.AccessKeyUser(*key.AccessKeyId); !ok || u.ARN != "arn:aws:iam::"+account+":user/ops/deployer" {
		t.Fatalf("AccessKeyUser after restart = %+v, %v", u, ok)
	}
	if c, err := e.api.TLSCertificate(*cert.Arn); err != nil || c.PrivateKey == nil {
		t.Fatalf("TLSCertificate after restart = %v, %v", c, err)
	}
	// A deleted role stays deleted, and attachment counts are right: a
	// detach brings the AWS policy's count down from 2.
	_, err := e.c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gone")})
	apiError(t, err, "NoSuchEntity", "")
	must(e.c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("deployer"), PolicyArn: &readOnly}))
	if n := *must(e.c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &readOnly})).Policy.AttachmentCount; n != 1 {
		t.Fatalf("attachments of %s = %d, want 1", readOnly, n)
	}
}

func TestResetClearsState(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci")}))
	e.api.Reset()
	n := 0
	if err := e.db.Bucket(iamapi.Spec.Name).Load(func(string, []byte) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("records after reset: %d, %v", n, err)
	}
	e.closeState(t)
	e = newEnvAt(t, dir, true)
	if users := must(e.c.ListUsers(ctx, &iam.ListUsersInput{})).Users; len(users) != 0 {
		t.Fatalf("users after reset and restart = %+v", users)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db, err := state.Open(t.TempDir(), state.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := db.Bucket(iamapi.Spec.Name).Batch()
	b.PutRaw(account+"/role/app", []byte(`{"Role": 1}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := iamapi.New(iamapi.Options{State: db.Bucket(iamapi.Spec.Name)}).Restore(); err == nil {
		t.Fatal("Restore of an undecodable record succeeded")
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := iamapi.New(iamapi.Options{})
	if _, err := a.Store(account).CreateUser(t.Context(), &iam.CreateUserInput{UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if out, _ := a.Store(account).ListUsers(t.Context(), &iam.ListUsersInput{}); len(out.Users) != 1 {
		t.Fatalf("users = %+v", out.Users)
	}
}
