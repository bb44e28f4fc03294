package reconcile_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Docker sets OOMKilled only when the kernel's OOM notification beats the
// exit; under load the exit can win and the "oom" event comes hundreds of
// milliseconds later. The task must still say why its container died.
func TestOutOfMemoryReportedLate(t *testing.T) {
	t.Parallel()
	rt := newFakeRuntime()
	e := startRaw(t, rt, "test-late-oom")
	defer e.shutdown()
	f := e.fixture(t)
	hog := f.app("hog")
	hog.Memory = aws.Int32(16)
	td := f.register("hog", hog)
	const oom = "OutOfMemoryError: Container killed due to memory usage"
	for _, tc := range []struct {
		name    string
		flag    bool          // the engine's OOMKilled at exit
		eventIn time.Duration // when the "oom" event follows the exit; 0: never
		want    string
		stopsIn time.Duration // at least
	}{
		{"flag at exit", true, 0, oom, 0},
		{"late event", false, 400 * time.Millisecond, oom, 0},
		{"SIGKILL without OOM", false, 0, "", 900 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := e.fixture(t)
			arn := aws.ToString(f.runTask(td).TaskArn)
			f.waitRunning(arn, 10*time.Second)
			start := time.Now()
			rt.exit("hog", 137, tc.flag)
			if tc.eventIn > 0 {
				time.Sleep(tc.eventIn)
				rt.event("hog", "oom")
			}
			task := f.waitStopped(arn, 10*time.Second)
			c := containerOf(t, task, "hog")
			if aws.ToString(c.Reason) != tc.want || aws.ToInt32(c.ExitCode) != 137 {
				t.Fatalf("container:\n%s\nwant reason %q, exit 137", dump(c), tc.want)
			}
			if took := time.Since(start); took < tc.stopsIn {
				t.Errorf("STOPPED after %v, want the containers kept for a late OOM report", took)
			}
		})
	}
}
