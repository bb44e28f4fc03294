package app_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// After a kill -9 and a start on the same state directory, the running
// tasks are adopted (same ARNs, addresses and containers, none started
// again), a container killed while the emulator was down is reported
// STOPPED with its exit code and replaced, and the engine holds exactly
// the containers of the running tasks.
func TestRestartAdoptsRunningTasks(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true, StateDir: t.TempDir()})
	ctx := t.Context()
	c := e.ECS()
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	td := register(t, ctx, c, "adopted", types.ContainerDefinition{
		Name: aws.String("web"), Image: aws.String(image), Environment: env("NAME=adopted"),
		PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
	})
	must(t, "CreateService", func() error {
		_, err := c.CreateService(ctx, &ecs.CreateServiceInput{
			ServiceName: aws.String("adopted"), TaskDefinition: aws.String(td), DesiredCount: aws.Int32(2),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
		})
		return err
	})
	before := waitRunningTasks(t, c, "adopted", 2, 60*time.Second)
	survivor, victim := before[0], before[1]
	startedAt := dockerStartedAt(t, runtimeID(survivor))

	e.Crash()
	if out, err := exec.Command("docker", "kill", runtimeID(victim)).CombinedOutput(); err != nil {
		t.Fatalf("docker kill: %v: %s", err, out)
	}
	e = e.Restart(t)
	c = e.ECS()

	got, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{*survivor.TaskArn, *victim.TaskArn}})
	if err != nil || len(got.Tasks) != 2 {
		t.Fatalf("DescribeTasks after restart: %v (%d tasks)", err, len(got.Tasks))
	}
	kept := got.Tasks[slices.IndexFunc(got.Tasks, func(x types.Task) bool { return *x.TaskArn == *survivor.TaskArn })]
	if aws.ToString(kept.LastStatus) != "RUNNING" || privateIP(kept) != privateIP(survivor) || runtimeID(kept) != runtimeID(survivor) {
		t.Fatalf("surviving task after restart: %s, ip %s (was %s), container %s (was %s)",
			aws.ToString(kept.LastStatus), privateIP(kept), privateIP(survivor), runtimeID(kept), runtimeID(survivor))
	}
	if again := dockerStartedAt(t, runtimeID(survivor)); again != startedAt {
		t.Fatalf("the surviving container was restarted (started %s, now %s)", startedAt, again)
	}
	stopped := waitStopped(t, ctx, c, *victim.TaskArn)
	if code := aws.ToInt32(stopped.Containers[0].ExitCode); code != 137 || stopped.StopCode != types.TaskStopCodeEssentialContainerExited {
		t.Fatalf("killed task: exit code %d, stop code %s, reason %q", code, stopped.StopCode, aws.ToString(stopped.StoppedReason))
	}
	after := waitRunningTasks(t, c, "adopted", 2, 60*time.Second)
	if doc := healthState(t, e.URL); doc.Adopting != 0 || doc.AdoptedIn <= 0 {
		t.Fatalf("health after adoption: %+v, want none left to adopt and the time it took", doc)
	}
	if !slices.ContainsFunc(after, func(x types.Task) bool { return *x.TaskArn == *survivor.TaskArn }) {
		t.Fatalf("the adopted task is no longer among the running ones")
	}
	var want []string
	for _, task := range after {
		want = append(want, runtimeID(task))
	}
	if have := engineContainers(t, e.Network); !sameSet(have, want) {
		t.Fatalf("engine holds task containers %v, the running tasks %v", have, want)
	}
}

func runtimeID(task types.Task) string { return aws.ToString(task.Containers[0].RuntimeId) }

func dockerStartedAt(t *testing.T, id string) string {
	t.Helper()
	out, err := exec.Command("docker", "inspect", "-f", "{{.State.StartedAt}}", id).Output()
	if err != nil {
		t.Fatalf("docker inspect %s: %v", id, err)
	}
	return strings.TrimSpace(string(out))
}

// engineContainers lists the IDs of the task containers (not sandboxes)
// of an emulator's scope, running or not.
func engineContainers(t *testing.T, scope string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--no-trunc", "-q",
		"--filter", "label="+runtime.LabelScope+"="+scope,
		"--filter", "label="+runtime.LabelRole+"="+runtime.RoleContainer).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
