package s3_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
)

// awsCLI runs the real AWS CLI against the env; the test is skipped when
// the CLI is not installed.
func awsCLI(t *testing.T, e *env, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--endpoint-url", e.URL}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestAWSCLI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{Bootstrap: true})
	file := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(file, []byte(`{"Resources":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	awsCLI(t, e, "s3", "mb", "s3://cli-bucket")
	awsCLI(t, e, "s3", "cp", file, "s3://cli-bucket/dir/template.json")
	if out := awsCLI(t, e, "s3", "ls", "s3://cli-bucket/dir/"); !strings.Contains(out, "template.json") {
		t.Errorf("ls = %s", out)
	}
	if out := awsCLI(t, e, "s3", "ls"); !strings.Contains(out, "cli-bucket") || !strings.Contains(out, "cdk-hnb659fds-assets-000000000000-us-east-1") {
		t.Errorf("ls of buckets = %s", out)
	}
	if out := awsCLI(t, e, "s3", "cp", "s3://cli-bucket/dir/template.json", "-"); out != `{"Resources":{}}` {
		t.Errorf("cp to stdout = %q", out)
	}
	if out := awsCLI(t, e, "s3api", "get-bucket-location", "--bucket", "cli-bucket", "--output", "text"); strings.TrimSpace(out) != "None" {
		t.Errorf("get-bucket-location = %q", out)
	}
	awsCLI(t, e, "s3", "rm", "s3://cli-bucket/dir/template.json")
	awsCLI(t, e, "s3", "rb", "s3://cli-bucket")
	if _, ok := e.API.BucketRegion("cli-bucket"); ok {
		t.Error("bucket still there after rb")
	}
}
