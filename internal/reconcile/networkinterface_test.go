package reconcile_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/reconcile"
)

// recordingInterfaces is an EC2 that records the interfaces of tasks.
type recordingInterfaces struct {
	mu       sync.Mutex
	attached map[string]string // eni → "subnet groups ip mac description"
	detached []string
	fail     bool
}

func (r *recordingInterfaces) AttachTaskInterface(region, subnet string, groups []string, ip, mac, description string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return "", errors.New("InvalidSubnetID.NotFound")
	}
	id := "eni-0123456789abcdef0"
	r.attached[id] = strings.Join([]string{region, subnet, strings.Join(groups, ","), ip, mac, description}, " ")
	return id, nil
}

func (r *recordingInterfaces) DetachTaskInterface(_, eni string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.detached = append(r.detached, eni)
	return nil
}

func detail(a types.Attachment, name string) string {
	for _, d := range a.Details {
		if aws.ToString(d.Name) == name {
			return aws.ToString(d.Value)
		}
	}
	return ""
}

func TestAwsvpcTaskGetsAndReleasesItsNetworkInterface(t *testing.T) {
	t.Parallel()
	rt := newFakeRuntime()
	enis := &recordingInterfaces{attached: map[string]string{}}
	e := startRaw(t, rt, "test-eni", func(o *reconcile.Options) { o.Interfaces = enis })
	defer e.shutdown()
	f := e.fixture(t)
	td := f.register("eni", f.app("app"))
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitRunning(arn, 10*time.Second)
	att := task.Attachments[0]
	if got := detail(att, "networkInterfaceId"); got != "eni-0123456789abcdef0" {
		t.Fatalf("networkInterfaceId %q, want the interface EC2 created", got)
	}
	enis.mu.Lock()
	rec := enis.attached["eni-0123456789abcdef0"]
	enis.mu.Unlock()
	want := "us-east-1 " + defaultSubnets[0] + " " + defaultGroup + " 10.0.0.2 02:42:0a:00:00:02 arn:aws:ecs:us-east-1:000000000000:attachment/" + aws.ToString(att.Id)
	if rec != want {
		t.Errorf("interface created with\n%s\nwant\n%s", rec, want)
	}
	if _, err := e.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	f.waitStopped(arn, 10*time.Second)
	enis.mu.Lock()
	defer enis.mu.Unlock()
	if len(enis.detached) != 1 || enis.detached[0] != "eni-0123456789abcdef0" {
		t.Errorf("detached %v, want the task's interface once", enis.detached)
	}
}

func TestTaskRunsWhenEC2RefusesTheInterface(t *testing.T) {
	t.Parallel()
	rt := newFakeRuntime()
	e := startRaw(t, rt, "test-eni-fail", func(o *reconcile.Options) { o.Interfaces = &recordingInterfaces{fail: true} })
	defer e.shutdown()
	f := e.fixture(t)
	td := f.register("eni", f.app("app"))
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitRunning(arn, 10*time.Second)
	if got := detail(task.Attachments[0], "networkInterfaceId"); !strings.HasPrefix(got, "eni-") || len(got) != 21 {
		t.Errorf("networkInterfaceId %q, want a derived eni- ID", got)
	}
}
