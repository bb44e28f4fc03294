package iam_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestUsersAndAccessKeys(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: ptr("alice"), Path: ptr("/dev/")})).User
	if *u.Arn != "arn:aws:iam::"+account+":user/dev/alice" || !regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`).MatchString(*u.UserId) {
		t.Fatalf("user %+v", u)
	}
	_, err := e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: ptr("Alice")})
	apiError(t, err, "EntityAlreadyExists", "User with name Alice already exists.")
	must(e.c.CreateUser(ctx, &iam.CreateUserInput{UserName: ptr("bob")}))
	list := must(e.c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: ptr("/dev/")})).Users
	if len(list) != 1 || *list[0].UserName != "alice" {
		t.Fatalf("users %+v", list)
	}
	_, err = e.c.GetUser(ctx, &iam.GetUserInput{UserName: ptr("carol")})
	apiError(t, err, "NoSuchEntity", "The user with name carol cannot be found.")

	key := must(e.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: ptr("alice")})).AccessKey
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(*key.AccessKeyId) || len(*key.SecretAccessKey) != 40 || key.Status != types.StatusTypeActive {
		t.Fatalf("key %+v", key)
	}
	// Signed with alice's key, GetUser and ListAccessKeys need no name.
	asAlice := e.client(*key.AccessKeyId, "us-west-2")
	if me := must(asAlice.GetUser(ctx, &iam.GetUserInput{})).User; *me.UserName != "alice" {
		t.Fatalf("GetUser as alice = %s", *me.UserName)
	}
	if root := must(e.c.GetUser(ctx, &iam.GetUserInput{})).User; *root.Arn != "arn:aws:iam::"+account+":root" {
		t.Fatalf("GetUser as root = %s", *root.Arn)
	}
	must(asAlice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
	_, err = e.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: ptr("alice")})
	apiError(t, err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	_, err = e.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	apiError(t, err, "ValidationError", "Must specify userName when calling with non-User credentials")
	must(e.c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: ptr("alice"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive}))
	keys := must(asAlice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})).AccessKeyMetadata
	if len(keys) != 2 || (keys[0].Status != types.StatusTypeInactive && keys[1].Status != types.StatusTypeInactive) {
		t.Fatalf("keys %+v", keys)
	}
	owner, ok := e.api.AccessKeyUser(*key.AccessKeyId)
	if !ok || owner.ARN != *u.Arn || owner.UserID != *u.UserId {
		t.Fatalf("AccessKeyUser = %+v %v", owner, ok)
	}

	must(e.c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: ptr("alice"), PolicyName: ptr("p"), PolicyDocument: ptr(allowLogs)}))
	doc := must(e.c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: ptr("alice"), PolicyName: ptr("p")})).PolicyDocument
	if d, _ := url.QueryUnescape(*doc); d != allowLogs {
		t.Fatalf("user policy %s", d)
	}
	if n := must(e.c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: ptr("alice")})).PolicyNames; len(n) != 1 {
		t.Fatalf("user policies %v", n)
	}
	_, err = e.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: ptr("alice")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
	for _, k := range keys {
		must(e.c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: ptr("alice"), AccessKeyId: k.AccessKeyId}))
	}
	_, err = e.c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: ptr("alice"), AccessKeyId: key.AccessKeyId})
	apiError(t, err, "NoSuchEntity", "The Access Key with id "+*key.AccessKeyId+" cannot be found.")
	_, err = e.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: ptr("alice")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	must(e.c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: ptr("alice"), PolicyName: ptr("p")}))
	must(e.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: ptr("alice")}))
}

func TestInstanceProfiles(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: ptr("ec2"), AssumeRolePolicyDocument: ptr(trust)}))
	p := must(e.c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: ptr("prof")})).InstanceProfile
	if *p.Arn != "arn:aws:iam::"+account+":instance-profile/prof" || !regexp.MustCompile(`^AIPA[A-Z2-7]{17}$`).MatchString(*p.InstanceProfileId) || p.Roles == nil {
		t.Fatalf("profile %+v", p)
	}
	_, err := e.c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: ptr("prof")})
	apiError(t, err, "EntityAlreadyExists", "Instance Profile prof already exists.")
	must(e.c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: ptr("prof"), RoleName: ptr("ec2")}))
	_, err = e.c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: ptr("prof"), RoleName: ptr("ec2")})
	apiError(t, err, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	got := must(e.c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: ptr("prof")})).InstanceProfile
	if len(got.Roles) != 1 || *got.Roles[0].RoleName != "ec2" {
		t.Fatalf("roles %+v", got.Roles)
	}
	if n := len(must(e.c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})).InstanceProfiles); n != 1 {
		t.Fatalf("profiles %d", n)
	}
	if n := len(must(e.c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: ptr("ec2")})).InstanceProfiles); n != 1 {
		t.Fatalf("profiles of role %d", n)
	}
	_, err = e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: ptr("ec2")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	_, err = e.c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: ptr("prof")})
	apiError(t, err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	must(e.c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: ptr("prof"), RoleName: ptr("ec2")}))
	must(e.c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: ptr("prof")}))
	_, err = e.c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: ptr("prof")})
	apiError(t, err, "NoSuchEntity", "Instance Profile prof cannot be found.")
	must(e.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: ptr("ec2")}))
}

// selfSigned is a PEM certificate and key for name.
func selfSigned(t *testing.T, name string) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: now, NotAfter: now.Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

func TestServerCertificates(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	body, key := selfSigned(t, "www.example.com")
	_, otherKey := selfSigned(t, "other")
	meta := must(e.c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: ptr("www"), CertificateBody: &body, PrivateKey: &key})).ServerCertificateMetadata
	if *meta.Arn != "arn:aws:iam::"+account+":server-certificate/www" || !meta.Expiration.Equal(now.Add(365*24*time.Hour)) {
		t.Fatalf("metadata %+v", meta)
	}
	_, err := e.c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: ptr("x"), CertificateBody: &body, PrivateKey: &otherKey})
	apiError(t, err, "KeyPairMismatch", "Certificate and private key do not match")
	_, err = e.c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: ptr("x"), CertificateBody: ptr("junk"), PrivateKey: &key})
	apiError(t, err, "MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.")
	_, err = e.c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: ptr("www"), CertificateBody: &body, PrivateKey: &key})
	apiError(t, err, "EntityAlreadyExists", "The Server Certificate with name www already exists.")
	got := must(e.c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: ptr("www")})).ServerCertificate
	if *got.ServerCertificateMetadata.ServerCertificateId != *meta.ServerCertificateId || *got.CertificateBody == "" {
		t.Fatalf("certificate %+v", got)
	}
	if n := len(must(e.c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{})).ServerCertificateMetadataList); n != 1 {
		t.Fatalf("certificates %d", n)
	}
	pair, err := e.api.TLSCertificate(*meta.Arn)
	if err != nil || pair.Leaf.Subject.CommonName != "www.example.com" {
		t.Fatalf("TLSCertificate = %v, %v", pair, err)
	}
	must(e.c.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: ptr("www")}))
	_, err = e.c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: ptr("www")})
	apiError(t, err, "NoSuchEntity", "The Server Certificate with name www cannot be found.")
}

func TestAccountSummaryAndRoleDirectory(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	r := must(e.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: ptr("deploy"), Path: ptr("/ci/"), AssumeRolePolicyDocument: ptr(trust), MaxSessionDuration: ptr(int32(7200))})).Role
	sum := must(e.c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if sum["Roles"] != 1 || sum["AccessKeysPerUserQuota"] != 2 {
		t.Fatalf("summary %v", sum)
	}
	id, max, ok := e.api.RoleByARN(*r.Arn)
	if !ok || id != *r.RoleId || max != 7200 {
		t.Fatalf("RoleByARN = %s %d %v", id, max, ok)
	}
	if _, _, ok := e.api.RoleByARN("arn:aws:iam::" + account + ":role/deploy"); ok {
		t.Fatal("RoleByARN matched an ARN with another path")
	}
}
