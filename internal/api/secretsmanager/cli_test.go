package secretsmanager_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
)

// TestAWSCLI drives the real AWS CLI (skipped when it is not installed).
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	e := newEnv(t, smapi.Options{})
	run := func(wantErr bool, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), bin, append([]string{"--endpoint-url", e.URL, "--output", "text"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		if (err != nil) != wantErr {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	arn := run(false, "secretsmanager", "create-secret", "--name", "cli/db", "--secret-string", `{"password":"pw"}`, "--query", "ARN")
	if !strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:000000000000:secret:cli/db-") {
		t.Fatalf("create-secret ARN = %q", arn)
	}
	if out := run(false, "secretsmanager", "get-secret-value", "--secret-id", arn, "--query", "SecretString"); out != `{"password":"pw"}` {
		t.Errorf("get-secret-value = %q", out)
	}
	run(false, "secretsmanager", "put-secret-value", "--secret-id", "cli/db", "--secret-string", "v2")
	if out := run(false, "secretsmanager", "get-secret-value", "--secret-id", "cli/db", "--version-stage", "AWSPREVIOUS", "--query", "SecretString"); out != `{"password":"pw"}` {
		t.Errorf("AWSPREVIOUS = %q", out)
	}
	if out := run(false, "secretsmanager", "list-secrets", "--query", "SecretList[].Name"); out != "cli/db" {
		t.Errorf("list-secrets = %q", out)
	}
	run(false, "secretsmanager", "delete-secret", "--secret-id", "cli/db", "--recovery-window-in-days", "7")
	if out := run(true, "secretsmanager", "get-secret-value", "--secret-id", "cli/db"); !strings.Contains(out, "(InvalidRequestException)") {
		t.Errorf("get after delete = %q", out)
	}
	run(false, "secretsmanager", "restore-secret", "--secret-id", "cli/db")
	run(false, "secretsmanager", "delete-secret", "--secret-id", "cli/db", "--force-delete-without-recovery")
	if out := run(true, "secretsmanager", "describe-secret", "--secret-id", "cli/db"); !strings.Contains(out, "(ResourceNotFoundException)") {
		t.Errorf("describe after forced delete = %q", out)
	}
}
