package reconcile_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/logship"
	"github.com/localaws/ecsemu/internal/reconcile"
)

// fakeShipper reports shipping done only once released.
type fakeShipper struct {
	mu       sync.Mutex
	prepared []logship.Awslogs
	shipped  map[string]logship.Destination
	forgot   []string
	released bool
	prepErr  error
}

func (s *fakeShipper) Prepare(a logship.Awslogs) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prepared = append(s.prepared, a)
	return s.prepErr
}

func (s *fakeShipper) Ship(id string, d logship.Destination) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shipped[id] = d
	return s.released, nil
}

func (s *fakeShipper) Forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgot = append(s.forgot, id)
}

func (s *fakeShipper) state() (shipped map[string]logship.Destination, forgot []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	shipped = map[string]logship.Destination{}
	for k, v := range s.shipped {
		shipped[k] = v
	}
	return shipped, append([]string(nil), s.forgot...)
}

func registerAwslogs(f *fixture) string {
	f.t.Helper()
	app := f.app("app")
	app.LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriverAwslogs,
		Options: map[string]string{"awslogs-group": "/ecs/app", "awslogs-stream-prefix": "ecs"}}
	out, err := f.ecs.RegisterTaskDefinition(f.ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("logged"), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn:     aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole"),
		ContainerDefinitions: []types.ContainerDefinition{app},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// A stopped task keeps its containers (and so their logs) until the
// shipper read them to the end, but no longer than 10 s after they
// stopped; then it forgets them.
func TestStoppedTaskWaitsForItsLogs(t *testing.T) {
	t.Parallel()
	ships := &fakeShipper{shipped: map[string]logship.Destination{}}
	var skew atomic.Int64 // the reconciler's clock runs ahead by this much
	e := startRaw(t, newFakeRuntime(), "test-await-logs", func(o *reconcile.Options) {
		o.Logs = ships
		o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	defer e.shutdown()
	f := e.fixture(t)
	td := registerAwslogs(f)

	for _, release := range []bool{true, false} {
		ships.mu.Lock()
		ships.released = false
		ships.mu.Unlock()
		arn := aws.ToString(f.runTask(td).TaskArn)
		f.waitRunning(arn, 10*time.Second)
		var id string
		for cid, d := range first(ships.state()) {
			if d == (logship.Destination{Region: "us-east-1", Group: "/ecs/app", Stream: "ecs/app/" + taskID(arn)}) {
				id = cid
			}
		}
		if id == "" {
			t.Fatalf("no container shipped to ecs/app/%s: %v", taskID(arn), first(ships.state()))
		}
		if _, err := f.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
		f.waitTask(arn, "DEPROVISIONING", 10*time.Second, func(t types.Task) bool { return status(t) == "DEPROVISIONING" }, nil)
		time.Sleep(time.Second)
		if task, _ := f.describeTask(arn); status(task) != "DEPROVISIONING" {
			t.Fatalf("task %s while its logs are not shipped, want DEPROVISIONING", status(task))
		}
		if release {
			ships.mu.Lock()
			ships.released = true
			ships.mu.Unlock()
		} else {
			skew.Add(int64(11 * time.Second)) // past the drain timeout
		}
		f.waitStopped(arn, 10*time.Second)
		if _, forgot := ships.state(); len(forgot) == 0 || forgot[len(forgot)-1] != id {
			t.Errorf("the shipper was not told the container %s is gone (forgot %v)", id, forgot)
		}
	}
}

// A log group the shipper cannot prepare fails the task before any
// container is created, with the shipper's reason.
func TestLogPrepareFailureStopsTheTask(t *testing.T) {
	t.Parallel()
	const reason = "ResourceInitializationError: failed to validate logger args: no group"
	ships := &fakeShipper{shipped: map[string]logship.Destination{}, prepErr: errors.New(reason)}
	e := startRaw(t, newFakeRuntime(), "test-prepare-logs", func(o *reconcile.Options) { o.Logs = ships })
	defer e.shutdown()
	f := e.fixture(t)
	arn := aws.ToString(f.runTask(registerAwslogs(f)).TaskArn)
	task := f.waitStopped(arn, 10*time.Second)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || aws.ToString(task.StoppedReason) != reason || aws.ToString(containerOf(t, task, "app").Reason) != reason {
		t.Errorf("task:\n%s\nwant TaskFailedToStart with %q", dump(task), reason)
	}
	if shipped, _ := ships.state(); len(shipped) != 0 {
		t.Errorf("shipped %v for a task that never started", shipped)
	}
}

// first drops the results after the first.
func first[T any](v T, _ ...any) T { return v }
