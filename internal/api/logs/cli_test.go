package logs_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

// awsCLI2 finds AWS CLI v2 (`logs tail` is a v2 command): the Debian
// package's /usr/bin/aws, or the first aws on PATH when that one is v2.
func awsCLI2(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append(candidates, p)
	}
	for _, bin := range candidates {
		out, err := exec.CommandContext(t.Context(), bin, "--version").CombinedOutput()
		if err == nil && strings.HasPrefix(string(out), "aws-cli/2.") {
			return bin
		}
	}
	t.Skip("AWS CLI v2 is not installed")
	return ""
}

// cliEnv is the environment of every CLI run: fixed credentials, no
// user configuration, no pager.
func cliEnv() []string {
	return append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
}

// TestAWSCLI drives the real AWS CLI v2 against the real clock (the CLI
// computes `--since` from it): create, put, get, filter, tail, then
// `tail --follow` sees an event put after it started.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	bin := awsCLI2(t)
	e := newEnv(t, logsapi.Options{Now: time.Now})
	run := func(wantErr bool, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), bin, append([]string{"--endpoint-url", e.URL, "--output", "text"}, args...)...)
		cmd.Env = cliEnv()
		out, err := cmd.CombinedOutput()
		if (err != nil) != wantErr {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run(false, "logs", "create-log-group", "--log-group-name", "/ecs/web", "--tags", "team=a")
	if out := run(true, "logs", "create-log-group", "--log-group-name", "/ecs/web"); !strings.Contains(out, "(ResourceAlreadyExistsException)") {
		t.Errorf("second create = %q", out)
	}
	run(false, "logs", "put-retention-policy", "--log-group-name", "/ecs/web", "--retention-in-days", "14")
	run(false, "logs", "create-log-stream", "--log-group-name", "/ecs/web", "--log-stream-name", "web/web/1")
	now := time.Now().UnixMilli()
	ts := func(offset int64) string { return strconv.FormatInt(now+offset, 10) }
	run(false, "logs", "put-log-events", "--log-group-name", "/ecs/web", "--log-stream-name", "web/web/1", "--log-events",
		"timestamp="+ts(-2000)+",message=INFO started", "timestamp="+ts(-1000)+",message=ERROR boom")
	if out := run(false, "logs", "describe-log-groups", "--query", "logGroups[0].[logGroupName,retentionInDays]"); out != "/ecs/web\t14" {
		t.Errorf("describe-log-groups = %q", out)
	}
	if out := run(false, "logs", "get-log-events", "--log-group-name", "/ecs/web", "--log-stream-name", "web/web/1",
		"--start-from-head", "--query", "events[].message"); out != "INFO started\tERROR boom" {
		t.Errorf("get-log-events = %q", out)
	}
	if out := run(false, "logs", "filter-log-events", "--log-group-name", "/ecs/web", "--filter-pattern", "ERROR",
		"--query", "events[].message"); out != "ERROR boom" {
		t.Errorf("filter-log-events = %q", out)
	}
	if out := run(false, "logs", "tail", "/ecs/web", "--since", "1h", "--format", "short"); !strings.Contains(out, "INFO started") || !strings.Contains(out, "ERROR boom") {
		t.Errorf("tail = %q", out)
	}
	if out := run(true, "logs", "filter-log-events", "--log-group-name", "/ecs/web", "--filter-pattern", `{ $.a = `); !strings.Contains(out, "Invalid filter pattern") {
		t.Errorf("bad pattern = %q", out)
	}
	followTail(t, bin, e)
}

// followTail runs `aws logs tail --follow` and waits for an event put
// after it started (the CLI polls every 5 seconds).
func followTail(t *testing.T, bin string, e *env) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--endpoint-url", e.URL, "logs", "tail", "/ecs/web", "--follow", "--since", "1h", "--format", "detailed")
	cmd.Env = cliEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	seen := map[string]int{}
	appended := false
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("tail --follow ended; saw %v", seen)
			}
			for _, m := range []string{"INFO started", "ERROR boom", "after follow"} {
				if strings.HasSuffix(line, m) {
					seen[m]++
					if !strings.Contains(line, "web/web/1") {
						t.Errorf("detailed line without its stream: %q", line)
					}
				}
			}
			if seen["ERROR boom"] == 1 && !appended {
				appended = true
				if err := e.API.Append(region, "/ecs/web", "web/web/1", []logsapi.Event{{Timestamp: time.Now(), Message: "after follow"}}); err != nil {
					t.Fatal(err)
				}
			}
			if seen["after follow"] == 1 {
				if seen["INFO started"] != 1 || seen["ERROR boom"] != 1 {
					t.Errorf("events repeated or lost: %v", seen)
				}
				return
			}
		case <-ctx.Done():
			t.Fatalf("tail --follow did not show the new event; saw %v", seen)
		}
	}
}
