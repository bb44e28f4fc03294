package providers

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func TestSecretsManagerSecretLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.apis.Secrets.StoreFor(testAccount, testRegion)
	value := func(arn string) string {
		t.Helper()
		out, err := s.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
		if err != nil {
			t.Fatalf("GetSecretValue: %v", err)
		}
		return deref(out.SecretString)
	}
	// The CDK's `new secretsmanager.Secret(this, 'DbSecret', {generateSecretString: …})`.
	req, res := e.create(t, "AWS::SecretsManager::Secret", "DbSecret685A0FB5", map[string]any{
		"GenerateSecretString": map[string]any{"SecretStringTemplate": `{"username":"app"}`, "GenerateStringKey": "password",
			"ExcludePunctuation": true, "PasswordLength": "20"},
		"Tags": []any{map[string]any{"Key": "k", "Value": "v"}},
	})
	arn := res.PhysicalID
	if !regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:DbSecret685A0FB5-[A-Z0-9]{12}-[A-Za-z0-9]{6}$`).MatchString(arn) || res.Attributes["Id"] != arn {
		t.Fatalf("secret = %+v", res)
	}
	var doc map[string]string
	if err := json.Unmarshal([]byte(value(arn)), &doc); err != nil || doc["username"] != "app" || len(doc["password"]) != 20 || strings.ContainsAny(doc["password"], "!#$%") {
		t.Errorf("generated value = %v (%v)", doc, err)
	}

	e.update(t, req, map[string]any{"SecretString": "plain", "Description": "now plain"})
	desc, err := s.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &arn})
	if err != nil || value(arn) != "plain" || deref(desc.Description) != "now plain" || len(desc.VersionIdsToStages) != 2 {
		t.Errorf("after update: %q, %+v, %v", value(arn), desc, err)
	}
	if len(desc.Tags) != 1 || deref(desc.Tags[0].Key) != "team" {
		t.Errorf("tags after dropping k = %+v", desc.Tags)
	}
	if !e.reg["AWS::SecretsManager::Secret"].Replaces(map[string]any{"Name": "a"}, map[string]any{"Name": "b"}) {
		t.Error("a new Name does not replace the secret")
	}
	e.deleteTwice(t, req)
	if _, err := s.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &arn}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("after delete (no recovery window): %v", err)
	}

	_, named := e.create(t, "AWS::SecretsManager::Secret", "Named", map[string]any{"Name": "app/api-key", "SecretString": "k"})
	if !strings.Contains(named.PhysicalID, ":secret:app/api-key-") || value("app/api-key") != "k" {
		t.Errorf("named secret = %+v", named)
	}
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"SecretString": "x", "GenerateSecretString": map[string]any{}}, "You can't specify both SecretString and GenerateSecretString."},
		{map[string]any{"GenerateSecretString": map[string]any{"GenerateStringKey": "p"}}, "must be specified together"},
		{map[string]any{"ReplicaRegions": []any{}}, "Encountered unsupported property ReplicaRegions"},
		{map[string]any{"Name": "app/api-key"}, "ResourceExistsException"},
	} {
		_, err := e.reg["AWS::SecretsManager::Secret"].Create(testCtx(t), request("AWS::SecretsManager::Secret", "S", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
}
