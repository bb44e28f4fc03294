package ssm_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

// TestAWSCLI drives the real AWS CLI (skipped when it is not installed).
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	e := newEnv(t, ssmapi.Options{Bootstrap: true})
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
	if out := run(false, "ssm", "get-parameter", "--name", "/cdk-bootstrap/hnb659fds/version", "--query", "Parameter.Value"); out != "30" {
		t.Errorf("bootstrap version = %q", out)
	}
	if out := run(false, "ssm", "put-parameter", "--name", "/cli/p", "--value", "one", "--type", "String", "--query", "Version"); out != "1" {
		t.Errorf("put = %q", out)
	}
	if out := run(true, "ssm", "put-parameter", "--name", "/cli/p", "--value", "two", "--type", "String"); !strings.Contains(out, "(ParameterAlreadyExists)") {
		t.Errorf("second put = %q", out)
	}
	run(false, "ssm", "put-parameter", "--name", "/cli/p", "--value", "two", "--overwrite")
	if out := run(false, "ssm", "get-parameters-by-path", "--path", "/cli", "--query", "Parameters[0].[Value,Version]"); out != "two\t2" {
		t.Errorf("by path = %q", out)
	}
	run(false, "ssm", "delete-parameter", "--name", "/cli/p")
	if out := run(true, "ssm", "get-parameter", "--name", "/cli/p"); !strings.Contains(out, "(ParameterNotFound)") {
		t.Errorf("get after delete = %q", out)
	}
}
