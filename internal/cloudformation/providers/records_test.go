package providers

import (
	"regexp"
	"strings"
	"testing"
)

func TestECRRepositoryRecord(t *testing.T) {
	e := newEnv(t)
	props := map[string]any{"RepositoryName": "cdk-hnb659fds-container-assets-000000000000-us-east-1", "ImageTagMutability": "IMMUTABLE",
		"LifecyclePolicy": map[string]any{"LifecyclePolicyText": "{}"}, "RepositoryPolicyText": map[string]any{"Version": "2012-10-17"}}
	req, res := e.create(t, "AWS::ECR::Repository", "ContainerAssetsRepository", props)
	name := props["RepositoryName"].(string)
	if res.PhysicalID != name || res.Attributes["Arn"] != "arn:aws:ecr:us-east-1:000000000000:repository/"+name ||
		res.Attributes["RepositoryUri"] != "000000000000.dkr.ecr.us-east-1.amazonaws.com/"+name {
		t.Errorf("repository = %+v", res)
	}
	if got := e.update(t, req, map[string]any{"RepositoryName": name}); got.Attributes["Arn"] != res.Attributes["Arn"] {
		t.Errorf("update lost the attributes: %+v", got)
	}
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"RepositoryName": name}, "RepositoryAlreadyExistsException: The repository with name '" + name + "' already exists in the registry with id '000000000000'"},
		{map[string]any{"RepositoryName": "Upper"}, "InvalidParameterException"},
		{map[string]any{"ImageTagMutability": "SOMETIMES"}, "SOMETIMES is not a valid enum value"},
		{map[string]any{"Bogus": 1}, "Encountered unsupported property Bogus"},
	} {
		_, err := e.reg["AWS::ECR::Repository"].Create(testCtx(t), request("AWS::ECR::Repository", "R", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
	_, gen := e.create(t, "AWS::ECR::Repository", "Repo", map[string]any{})
	if !strings.HasPrefix(gen.PhysicalID, "tutorialstack-repo-") || gen.PhysicalID != strings.ToLower(gen.PhysicalID) {
		t.Errorf("generated name %q", gen.PhysicalID)
	}
	e.deleteTwice(t, req)
	e.create(t, "AWS::ECR::Repository", "Again", map[string]any{"RepositoryName": name}) // the name is free again
}

func TestKMSKeyAndAliasRecords(t *testing.T) {
	e := newEnv(t)
	keyReq, key := e.create(t, "AWS::KMS::Key", "FileAssetsBucketEncryptionKey", map[string]any{
		"KeyPolicy": map[string]any{"Statement": []any{}}})
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(key.PhysicalID) ||
		key.Attributes["KeyId"] != key.PhysicalID || key.Attributes["Arn"] != "arn:aws:kms:us-east-1:000000000000:key/"+key.PhysicalID {
		t.Errorf("key = %+v", key)
	}
	_, mrk := e.create(t, "AWS::KMS::Key", "Multi", map[string]any{"MultiRegion": true})
	if !regexp.MustCompile(`^mrk-[0-9a-f]{32}$`).MatchString(mrk.PhysicalID) {
		t.Errorf("multi-Region key ID %q", mrk.PhysicalID)
	}
	aliasReq, alias := e.create(t, "AWS::KMS::Alias", "Alias", map[string]any{"AliasName": "alias/cdk-hnb659fds-assets-key", "TargetKeyId": key.Attributes["Arn"]})
	if alias.PhysicalID != "alias/cdk-hnb659fds-assets-key" {
		t.Errorf("alias = %+v", alias)
	}
	e.update(t, aliasReq, map[string]any{"AliasName": "alias/cdk-hnb659fds-assets-key", "TargetKeyId": mrk.PhysicalID})
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"AliasName": "alias/cdk-hnb659fds-assets-key", "TargetKeyId": key.PhysicalID}, "AlreadyExistsException"},
		{map[string]any{"AliasName": "alias/x", "TargetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "NotFoundException: Invalid keyId"},
		{map[string]any{"AliasName": "alias/aws/s3", "TargetKeyId": key.PhysicalID}, "NotAuthorizedException"},
		{map[string]any{"AliasName": "x", "TargetKeyId": key.PhysicalID}, "ValidationException: Alias must start with the prefix"},
	} {
		_, err := e.reg["AWS::KMS::Alias"].Create(testCtx(t), request("AWS::KMS::Alias", "A", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
	e.deleteTwice(t, aliasReq)
	e.deleteTwice(t, keyReq)
	if _, err := e.reg["AWS::KMS::Key"].Update(testCtx(t), keyReq); !isCode(err, "NotFoundException") {
		t.Errorf("updating a deleted key: %v", err)
	}
}

func TestLambdaFunctionAndPermissionRecords(t *testing.T) {
	e := newEnv(t)
	if err := e.apis.S3.CreateBucket(testRegion, "assets"); err != nil {
		t.Fatal(err)
	}
	if err := e.apis.S3.PutObject("assets", "k.zip", []byte("PK"), "application/zip"); err != nil {
		t.Fatal(err)
	}
	props := map[string]any{"Code": map[string]any{"S3Bucket": "assets", "S3Key": "k.zip"}, "Role": "arn:aws:iam::000000000000:role/r",
		"Handler": "__entrypoint__.handler", "Runtime": "nodejs24.x", "Timeout": 900}
	fnReq, fn := e.create(t, "AWS::Lambda::Function", "CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E", props)
	if len(fn.PhysicalID) > 64 || !strings.HasPrefix(fn.PhysicalID, "TutorialStack-CustomVpcRestrictDefault") ||
		fn.Attributes["Arn"] != "arn:aws:lambda:us-east-1:000000000000:function:"+fn.PhysicalID {
		t.Errorf("function = %+v", fn)
	}
	for _, ref := range []string{fn.PhysicalID, fn.Attributes["Arn"].(string), fn.Attributes["Arn"].(string) + ":live", "000000000000:function:" + fn.PhysicalID} {
		_, perm := e.create(t, "AWS::Lambda::Permission", "Perm", map[string]any{"FunctionName": ref, "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"})
		if perm.Attributes["Id"] != perm.PhysicalID || perm.PhysicalID == "" {
			t.Errorf("permission = %+v", perm)
		}
	}
	if !e.reg["AWS::Lambda::Permission"].Replaces(map[string]any{"Action": "a"}, map[string]any{"Action": "b"}) {
		t.Error("a permission change does not replace it")
	}
	named := map[string]any{"FunctionName": "fixed", "Code": map[string]any{"ZipFile": "x"}, "Role": "r"}
	e.create(t, "AWS::Lambda::Function", "Fixed", named)
	for _, tc := range []struct {
		typ   string
		props map[string]any
		want  string
	}{
		{"AWS::Lambda::Function", named, "ResourceConflictException: Function already exist: fixed"},
		{"AWS::Lambda::Function", map[string]any{"Role": "r"}, "required key [Code] not found"},
		{"AWS::Lambda::Function", map[string]any{"Role": "r", "Code": map[string]any{"S3Bucket": "assets", "S3Key": "missing.zip"}},
			"InvalidParameterValueException: Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist."},
		{"AWS::Lambda::Function", map[string]any{"Role": "r", "Code": map[string]any{"S3Bucket": "nobucket", "S3Key": "k.zip"}},
			"S3 Error Code: NoSuchBucket"},
		{"AWS::Lambda::Function", map[string]any{"FunctionName": "bad name", "Code": map[string]any{}, "Role": "r"}, "ValidationException"},
		{"AWS::Lambda::Permission", map[string]any{"FunctionName": "nope", "Action": "lambda:InvokeFunction", "Principal": "x"},
			"ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"},
	} {
		_, err := e.reg[tc.typ].Create(testCtx(t), request(tc.typ, "X", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: err = %v, want %q", tc.typ, tc.props, err, tc.want)
		}
	}
	e.deleteTwice(t, fnReq)
	if _, err := e.reg["AWS::Lambda::Permission"].Create(testCtx(t), request("AWS::Lambda::Permission", "P",
		map[string]any{"FunctionName": fn.PhysicalID, "Action": "lambda:InvokeFunction", "Principal": "x"})); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("permission on a deleted function: %v", err)
	}
}
