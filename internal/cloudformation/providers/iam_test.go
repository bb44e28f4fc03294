package providers

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
)

func trust(service string) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": service}}}}
}

func allow(action string) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Action": action, "Effect": "Allow", "Resource": "*"}}}
}

// decodedDoc turns IAM's URL-encoded document back into a tree.
func decodedDoc(t *testing.T, enc *string) any {
	t.Helper()
	s, err := url.QueryUnescape(deref(enc))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("document %q: %v", s, err)
	}
	return v
}

func (e *env) iam() *iamapi.Store { return e.apis.IAM.Store(testAccount) }

func rolePolicies(t *testing.T, s *iamapi.Store, role string) (inline, arns []string) {
	t.Helper()
	ctx := context.Background()
	in, err := s.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &role})
	if err != nil {
		t.Fatal(err)
	}
	at, err := s.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range at.AttachedPolicies {
		arns = append(arns, deref(p.PolicyArn))
	}
	slices.Sort(in.PolicyNames)
	slices.Sort(arns)
	return in.PolicyNames, arns
}

func TestIAMRoleLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mpReq, mp := e.create(t, "AWS::IAM::ManagedPolicy", "ReadLogs", map[string]any{"PolicyDocument": allow("logs:Get*")})
	if !strings.HasPrefix(mp.PhysicalID, "arn:aws:iam::000000000000:policy/TutorialStack-ReadLogs-") || mp.Attributes["PolicyArn"] != mp.PhysicalID {
		t.Fatalf("managed policy = %+v", mp)
	}
	const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	props := map[string]any{
		"AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com"),
		"Policies": []any{
			map[string]any{"PolicyName": "Inline", "PolicyDocument": allow("ec2:Describe*")},
			map[string]any{"PolicyName": "Other", "PolicyDocument": allow("s3:GetObject")},
		},
		"ManagedPolicyArns": []any{lambdaBasic, mp.PhysicalID},
		"Tags":              []any{map[string]any{"Key": "app", "Value": "api"}},
	}
	req, res := e.create(t, "AWS::IAM::Role", "ApiTaskDefTaskRole76FB19FA", props)
	name := res.PhysicalID
	if !strings.HasPrefix(name, "TutorialStack-ApiTaskDefTaskRole76FB19FA-") || len(name) > 64 {
		t.Errorf("generated role name %q", name)
	}
	if res.Attributes["Arn"] != "arn:aws:iam::000000000000:role/"+name || !strings.HasPrefix(res.Attributes["RoleId"].(string), "AROA") {
		t.Errorf("attributes = %+v", res.Attributes)
	}
	got, err := e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if doc := decodedDoc(t, got.Role.AssumeRolePolicyDocument); !reflect.DeepEqual(doc, any(trust("ecs-tasks.amazonaws.com"))) {
		t.Errorf("trust policy = %v", doc)
	}
	var tags []string
	for _, tg := range got.Role.Tags {
		tags = append(tags, deref(tg.Key)+"="+deref(tg.Value))
	}
	if !reflect.DeepEqual(tags, []string{"app=api", "team=blue"}) {
		t.Errorf("tags = %v (explicit, then the stack's without aws:*)", tags)
	}
	inline, arns := rolePolicies(t, e.iam(), name)
	if !reflect.DeepEqual(inline, []string{"Inline", "Other"}) || !reflect.DeepEqual(arns, []string{mp.PhysicalID, lambdaBasic}) {
		t.Errorf("after create: inline %v, attached %v", inline, arns)
	}

	next := map[string]any{
		"AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
		"Description":              "the api",
		"Policies":                 []any{map[string]any{"PolicyName": "Inline", "PolicyDocument": allow("ec2:*")}},
		"ManagedPolicyArns":        []any{mp.PhysicalID},
	}
	e.update(t, req, next)
	got, _ = e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
	if doc := decodedDoc(t, got.Role.AssumeRolePolicyDocument); !reflect.DeepEqual(doc, any(trust("lambda.amazonaws.com"))) || deref(got.Role.Description) != "the api" {
		t.Errorf("after update: trust %v, description %q", doc, deref(got.Role.Description))
	}
	if len(got.Role.Tags) != 1 || deref(got.Role.Tags[0].Key) != "team" {
		t.Errorf("after dropping Tags: %+v", got.Role.Tags)
	}
	inline, arns = rolePolicies(t, e.iam(), name)
	pol, _ := e.iam().GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &name, PolicyName: ptr("Inline")})
	if !reflect.DeepEqual(inline, []string{"Inline"}) || !reflect.DeepEqual(arns, []string{mp.PhysicalID}) ||
		!reflect.DeepEqual(decodedDoc(t, pol.PolicyDocument), any(allow("ec2:*"))) {
		t.Errorf("after update: inline %v, attached %v, Inline = %v", inline, arns, decodedDoc(t, pol.PolicyDocument))
	}

	p := e.reg["AWS::IAM::Role"]
	for _, tc := range []struct {
		change string
		want   bool
	}{{"RoleName", true}, {"Path", true}, {"Description", false}, {"Policies", false}, {"ManagedPolicyArns", false}, {"AssumeRolePolicyDocument", false}} {
		next := map[string]any{tc.change: "x"}
		if got := p.Replaces(map[string]any{}, next); got != tc.want {
			t.Errorf("a change of %s replaces = %v, want %v", tc.change, got, tc.want)
		}
	}

	req.Properties = next
	e.deleteTwice(t, req)
	if _, err := e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &name}); !isCode(err, "NoSuchEntity") {
		t.Errorf("role after delete: %v", err)
	}
	e.deleteTwice(t, mpReq)
	if _, err := e.iam().GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &mp.PhysicalID}); !isCode(err, "NoSuchEntity") {
		t.Errorf("managed policy after delete: %v", err)
	}
}

func TestIAMRoleFailures(t *testing.T) {
	e := newEnv(t)
	e.create(t, "AWS::IAM::Role", "Taken", map[string]any{"RoleName": "taken", "AssumeRolePolicyDocument": trust("ecs.amazonaws.com")})
	tests := []struct {
		name  string
		props map[string]any
		want  string
	}{
		{"no trust policy", map[string]any{"RoleName": "a"}, "required key [AssumeRolePolicyDocument] not found"},
		{"trust policy of the wrong type", map[string]any{"AssumeRolePolicyDocument": 3}, "#/AssumeRolePolicyDocument: expected type: JSONObject, found: Number"},
		{"name taken", map[string]any{"RoleName": "taken", "AssumeRolePolicyDocument": trust("ecs.amazonaws.com")}, "Role with name taken already exists."},
		{"malformed document", map[string]any{"RoleName": "b", "AssumeRolePolicyDocument": "{not json"}, "MalformedPolicyDocument"},
		{"unknown property", map[string]any{"AssumeRolePolicyDocument": trust("x"), "Bogus": 1}, "Encountered unsupported property Bogus"},
		{"unknown managed policy", map[string]any{"RoleName": "c", "AssumeRolePolicyDocument": trust("ecs.amazonaws.com"),
			"ManagedPolicyArns": []any{"arn:aws:iam::000000000000:policy/missing"}}, "does not exist or is not attachable"},
		{"inline policy without a name", map[string]any{"RoleName": "d", "AssumeRolePolicyDocument": trust("ecs.amazonaws.com"),
			"Policies": []any{map[string]any{"PolicyDocument": allow("s3:*")}}}, "required key [PolicyName] not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.reg["AWS::IAM::Role"].Create(testCtx(t), request("AWS::IAM::Role", "R", tc.props))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// The role whose policy could not be attached was removed again.
	if _, err := e.iam().GetRole(context.Background(), &iam.GetRoleInput{RoleName: ptr("c")}); !isCode(err, "NoSuchEntity") {
		t.Errorf("half-created role left behind: %v", err)
	}
}

func TestIAMPolicyOnRolesAndUsers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, role := e.create(t, "AWS::IAM::Role", "ExecRole", map[string]any{"AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com")})
	userReq, user := e.create(t, "AWS::IAM::User", "Deployer", map[string]any{})
	props := map[string]any{"PolicyName": "ExecRoleDefaultPolicy", "PolicyDocument": allow("logs:PutLogEvents"),
		"Roles": []any{role.PhysicalID}, "Users": []any{user.PhysicalID}}
	req, res := e.create(t, "AWS::IAM::Policy", "ExecRoleDefaultPolicy7E2F924A", props)
	if len(res.PhysicalID) != 24 || !strings.HasPrefix(res.PhysicalID, "Tutor-ExecR-") || res.Attributes["Id"] != res.PhysicalID {
		t.Errorf("policy ID %q, attributes %+v", res.PhysicalID, res.Attributes)
	}
	if _, err := e.iam().GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: &user.PhysicalID, PolicyName: ptr("ExecRoleDefaultPolicy")}); err != nil {
		t.Errorf("user policy: %v", err)
	}
	inline, _ := rolePolicies(t, e.iam(), role.PhysicalID)
	if !reflect.DeepEqual(inline, []string{"ExecRoleDefaultPolicy"}) {
		t.Errorf("role policies = %v", inline)
	}

	// Renamed and taken off the user.
	next := map[string]any{"PolicyName": "Renamed", "PolicyDocument": allow("logs:*"), "Roles": []any{role.PhysicalID}}
	if got := e.update(t, req, next); got.PhysicalID != res.PhysicalID {
		t.Errorf("update changed the ID: %s", got.PhysicalID)
	}
	inline, _ = rolePolicies(t, e.iam(), role.PhysicalID)
	if !reflect.DeepEqual(inline, []string{"Renamed"}) {
		t.Errorf("role policies after rename = %v", inline)
	}
	if _, err := e.iam().GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: &user.PhysicalID, PolicyName: ptr("ExecRoleDefaultPolicy")}); !isCode(err, "NoSuchEntity") {
		t.Errorf("user kept the old policy: %v", err)
	}
	req.Properties = next
	e.deleteTwice(t, req)
	if inline, _ = rolePolicies(t, e.iam(), role.PhysicalID); len(inline) != 0 {
		t.Errorf("role policies after delete = %v", inline)
	}
	e.deleteTwice(t, userReq)

	for _, tc := range []struct {
		name  string
		props map[string]any
		want  string
	}{
		{"no entity", map[string]any{"PolicyName": "p", "PolicyDocument": allow("s3:*")}, "At least one of [Groups,Roles,Users] must be non-empty."},
		{"groups", map[string]any{"PolicyName": "p", "PolicyDocument": allow("s3:*"), "Groups": []any{"admins"}}, "IAM groups are not supported"},
		{"missing role", map[string]any{"PolicyName": "p", "PolicyDocument": allow("s3:*"), "Roles": []any{"nobody"}}, "The role with name nobody cannot be found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.reg["AWS::IAM::Policy"].Create(testCtx(t), request("AWS::IAM::Policy", "P", tc.props))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestIAMManagedPolicyVersionsAndAttachments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, role := e.create(t, "AWS::IAM::Role", "R", map[string]any{"AssumeRolePolicyDocument": trust("ecs.amazonaws.com")})
	req, res := e.create(t, "AWS::IAM::ManagedPolicy", "Boundary", map[string]any{
		"ManagedPolicyName": "boundary", "Path": "/cdk/", "Description": "d",
		"PolicyDocument": allow("s3:*"), "Roles": []any{role.PhysicalID}})
	if res.PhysicalID != "arn:aws:iam::000000000000:policy/cdk/boundary" || res.Attributes["AttachmentCount"] != 1 || res.Attributes["DefaultVersionId"] != "v1" {
		t.Fatalf("policy = %+v", res)
	}
	// Seven document changes: IAM keeps five versions, CloudFormation
	// drops the oldest to make room.
	props := req.Properties
	for i := range 7 {
		next := map[string]any{"ManagedPolicyName": "boundary", "Path": "/cdk/", "Description": "d",
			"PolicyDocument": allow("s3:Get" + strings.Repeat("x", i)), "Roles": []any{role.PhysicalID}}
		cur := *req
		cur.Properties = props
		e.update(t, &cur, next)
		props = next
	}
	versions, err := e.iam().ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &res.PhysicalID})
	if err != nil || len(versions.Versions) != 5 || !versions.Versions[0].IsDefaultVersion || deref(versions.Versions[0].VersionId) != "v8" {
		t.Fatalf("versions = %+v, %v", versions, err)
	}
	if e.reg["AWS::IAM::ManagedPolicy"].Replaces(props, map[string]any{"ManagedPolicyName": "other"}) != true ||
		e.reg["AWS::IAM::ManagedPolicy"].Replaces(props, map[string]any{"ManagedPolicyName": "boundary", "Path": "/cdk/", "Description": "d", "PolicyDocument": "{}"}) {
		t.Error("Replaces: name replaces, document does not")
	}
	// Delete detaches from the role and drops the old versions first.
	req.Properties = props
	e.deleteTwice(t, req)
	if _, arns := rolePolicies(t, e.iam(), role.PhysicalID); len(arns) != 0 {
		t.Errorf("still attached: %v", arns)
	}
}

func TestIAMInstanceProfileUserAndAccessKey(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, a := e.create(t, "AWS::IAM::Role", "A", map[string]any{"AssumeRolePolicyDocument": trust("ec2.amazonaws.com")})
	_, b := e.create(t, "AWS::IAM::Role", "B", map[string]any{"AssumeRolePolicyDocument": trust("ec2.amazonaws.com")})
	ipReq, ip := e.create(t, "AWS::IAM::InstanceProfile", "Profile", map[string]any{"Roles": []any{a.PhysicalID}})
	if !strings.HasSuffix(ip.Attributes["Arn"].(string), ":instance-profile/"+ip.PhysicalID) {
		t.Errorf("profile = %+v", ip)
	}
	e.update(t, ipReq, map[string]any{"Roles": []any{b.PhysicalID}})
	got, _ := e.iam().GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: &ip.PhysicalID})
	if len(got.InstanceProfile.Roles) != 1 || deref(got.InstanceProfile.Roles[0].RoleName) != b.PhysicalID {
		t.Errorf("profile roles after the swap = %+v", got.InstanceProfile.Roles)
	}
	ipReq.Properties = map[string]any{"Roles": []any{b.PhysicalID}}
	e.deleteTwice(t, ipReq)

	userReq, user := e.create(t, "AWS::IAM::User", "U", map[string]any{
		"Policies": []any{map[string]any{"PolicyName": "p", "PolicyDocument": allow("s3:*")}}})
	keyReq, key := e.create(t, "AWS::IAM::AccessKey", "Key", map[string]any{"UserName": user.PhysicalID, "Status": "Inactive"})
	keys, _ := e.iam().ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: &user.PhysicalID})
	if len(keys.AccessKeyMetadata) != 1 || deref(keys.AccessKeyMetadata[0].AccessKeyId) != key.PhysicalID ||
		keys.AccessKeyMetadata[0].Status != "Inactive" || key.Attributes["SecretAccessKey"] == "" {
		t.Errorf("access key = %+v, listed %+v", key, keys.AccessKeyMetadata)
	}
	e.update(t, keyReq, map[string]any{"UserName": user.PhysicalID})
	keys, _ = e.iam().ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: &user.PhysicalID})
	if keys.AccessKeyMetadata[0].Status != "Active" {
		t.Errorf("status after dropping Status = %s", keys.AccessKeyMetadata[0].Status)
	}
	e.deleteTwice(t, keyReq)
	e.deleteTwice(t, userReq)
	if _, err := e.iam().GetUser(ctx, &iam.GetUserInput{UserName: &user.PhysicalID}); !isCode(err, "NoSuchEntity") {
		t.Errorf("user after delete: %v", err)
	}
}

func TestIAMPermissionsBoundary(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, mp := e.create(t, "AWS::IAM::ManagedPolicy", "Boundary", map[string]any{"PolicyDocument": allow("*")})
	boundaryOf := func(name string) string {
		out, err := e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
		if err != nil {
			t.Fatal(err)
		}
		if out.Role.PermissionsBoundary == nil {
			return ""
		}
		return deref(out.Role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	props := map[string]any{"AssumeRolePolicyDocument": trust("ecs.amazonaws.com"), "PermissionsBoundary": mp.PhysicalID}
	req, res := e.create(t, "AWS::IAM::Role", "Exec", props)
	if got := boundaryOf(res.PhysicalID); got != mp.PhysicalID {
		t.Errorf("boundary = %q", got)
	}
	next := map[string]any{"AssumeRolePolicyDocument": trust("ecs.amazonaws.com"), "PermissionsBoundary": "arn:aws:iam::aws:policy/PowerUserAccess"}
	e.update(t, req, next)
	if got := boundaryOf(res.PhysicalID); got != "arn:aws:iam::aws:policy/PowerUserAccess" {
		t.Errorf("boundary after update = %q", got)
	}
	req.Properties = next
	e.update(t, req, map[string]any{"AssumeRolePolicyDocument": trust("ecs.amazonaws.com")})
	if got := boundaryOf(res.PhysicalID); got != "" {
		t.Errorf("boundary after dropping it = %q", got)
	}
	_, err := e.reg["AWS::IAM::Role"].Create(testCtx(t), request("AWS::IAM::Role", "Bad", map[string]any{
		"AssumeRolePolicyDocument": trust("ecs.amazonaws.com"), "PermissionsBoundary": "arn:aws:iam::000000000000:policy/missing"}))
	if !isCode(err, "NoSuchEntity") {
		t.Errorf("a missing boundary: %v", err)
	}
	_, u := e.create(t, "AWS::IAM::User", "U", map[string]any{"PermissionsBoundary": mp.PhysicalID})
	got, _ := e.iam().GetUser(ctx, &iam.GetUserInput{UserName: &u.PhysicalID})
	if got.User.PermissionsBoundary == nil || deref(got.User.PermissionsBoundary.PermissionsBoundaryArn) != mp.PhysicalID {
		t.Errorf("user boundary = %+v", got.User.PermissionsBoundary)
	}
}

func TestIAMUserUpdatesPathAndTagsInPlace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req, res := e.create(t, "AWS::IAM::User", "Deployer", map[string]any{"Tags": []any{map[string]any{"Key": "a", "Value": "1"}}})
	next := map[string]any{"Path": "/ci/", "Tags": []any{map[string]any{"Key": "b", "Value": "2"}}}
	if e.reg["AWS::IAM::User"].Replaces(req.Properties, next) {
		t.Fatal("a new Path replaces the user")
	}
	got := e.update(t, req, next)
	if got.Attributes["Arn"] != "arn:aws:iam::000000000000:user/ci/"+res.PhysicalID {
		t.Errorf("Arn after the move = %v", got.Attributes["Arn"])
	}
	tags, err := e.iam().ListUserTags(ctx, &iam.ListUserTagsInput{UserName: &res.PhysicalID})
	var keys []string
	for _, tg := range tags.Tags {
		keys = append(keys, deref(tg.Key)+"="+deref(tg.Value))
	}
	if err != nil || !reflect.DeepEqual(keys, []string{"team=blue", "b=2"}) {
		t.Errorf("tags after update = %v, %v", keys, err)
	}
	if !e.reg["AWS::IAM::User"].Replaces(next, map[string]any{"UserName": "x"}) {
		t.Error("a new UserName does not replace the user")
	}
}

func TestIAMServiceLinkedRole(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req, res := e.create(t, "AWS::IAM::ServiceLinkedRole", "EcsRole", map[string]any{"AWSServiceName": "ecs.amazonaws.com"})
	if res.PhysicalID != "AWSServiceRoleForECS" || res.Attributes["RoleName"] != res.PhysicalID {
		t.Fatalf("role = %+v", res)
	}
	e.update(t, req, map[string]any{"AWSServiceName": "ecs.amazonaws.com", "Description": "for ECS"})
	got, err := e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &res.PhysicalID})
	if err != nil || deref(got.Role.Description) != "for ECS" {
		t.Errorf("after update: %+v, %v", got, err)
	}
	if !e.reg["AWS::IAM::ServiceLinkedRole"].Replaces(req.Properties, map[string]any{"AWSServiceName": "ecs.amazonaws.com", "CustomSuffix": "x"}) {
		t.Error("a new suffix does not replace the role")
	}
	if _, err := e.reg["AWS::IAM::ServiceLinkedRole"].Create(testCtx(t), request("AWS::IAM::ServiceLinkedRole", "Again", req.Properties)); !isCode(err, "InvalidInput") {
		t.Errorf("a second role for the service: %v", err)
	}
	e.deleteTwice(t, req)
	if _, err := e.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: &res.PhysicalID}); !isCode(err, "NoSuchEntity") {
		t.Errorf("after delete: %v", err)
	}
}
