package reconcile_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// An EC2 task definition setting what the emulator cannot apply fails at
// start, naming the setting; it does not run as if the setting were not
// there.
func TestIntegrationUnappliedSettingFailsTheTask(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cd := f.app("web")
	cd.Hostname = aws.String("web.local")
	cd.Memory = aws.Int32(128)
	out, err := f.ecs.RegisterTaskDefinition(f.ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("unapplied"), NetworkMode: types.NetworkModeBridge,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityEc2},
		ContainerDefinitions:    []types.ContainerDefinition{cd},
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	run, err := f.ecs.RunTask(f.ctx, &ecs.RunTaskInput{Cluster: aws.String(testCluster), TaskDefinition: out.TaskDefinition.TaskDefinitionArn, LaunchType: types.LaunchTypeEc2})
	if err != nil || len(run.Tasks) != 1 {
		t.Fatalf("RunTask: %v %s", err, dump(run))
	}
	task := f.waitStopped(aws.ToString(run.Tasks[0].TaskArn), 60*time.Second)
	reason := aws.ToString(task.StoppedReason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.Contains(reason, "sets hostname, which this emulator does not apply") {
		t.Errorf("stopCode %s, stoppedReason %q; want TaskFailedToStart naming hostname", task.StopCode, reason)
	}
}

// initProcessEnabled and capabilities are applied to the container.
func TestIntegrationInitAndCapabilitiesApplied(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cd := f.app("web")
	cd.LinuxParameters = &types.LinuxParameters{
		InitProcessEnabled: aws.Bool(true),
		Capabilities:       &types.KernelCapabilities{Add: []string{"SYS_PTRACE"}, Drop: []string{"NET_RAW"}},
	}
	task := f.waitRunning(aws.ToString(f.runTask(f.register("caps", cd)).TaskArn), 60*time.Second)
	c := inspect(t, f.engine(), aws.ToString(containerOf(t, task, "web").RuntimeId))
	hc := c.HostConfig
	hasCap := func(list []string, c string) bool { return slices.Contains(list, c) || slices.Contains(list, "CAP_"+c) } // the engine may add CAP_
	if hc == nil || hc.Init == nil || !*hc.Init || !hasCap(hc.CapAdd, "SYS_PTRACE") || !hasCap(hc.CapDrop, "NET_RAW") {
		t.Errorf("host config: init %v, cap add %v, cap drop %v; want init, +SYS_PTRACE, -NET_RAW", hc.Init, hc.CapAdd, hc.CapDrop)
	}
}
