package reconcile

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// The start-up sweep keeps a sandbox a known task records even when it
// carries no task label (it was started ahead of its task, a spare), and
// removes a spare no task took, as any leftover of its scope.
func TestSweepKeepsRecordedSandboxWithoutTaskLabels(t *testing.T) {
	api := ecsapi.New(ecsapi.Options{Account: "000000000000"})
	s := api.Store("us-east-1")
	ctx := context.Background()
	if _, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{}); err != nil {
		t.Fatal(err)
	}
	td, err := s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("f"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("c"), Image: aws.String("i"), Memory: aws.Int32(128)}}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: td.TaskDefinition.TaskDefinitionArn})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(run.Tasks[0].TaskArn)

	rt := &listRuntime{containers: map[string]runtime.ContainerState{}}
	pooled := map[string]string{runtime.LabelManaged: "true", runtime.LabelRole: runtime.RoleSandbox, runtime.LabelScope: "s"}
	rt.add("taken", pooled)
	rt.add("spare", pooled)
	rt.add("other", map[string]string{runtime.LabelManaged: "true", runtime.LabelRole: runtime.RoleSandbox, runtime.LabelScope: "other"})
	s.MutateTask(arn, func(t *ecsapi.Task) { t.SandboxID = "taken" })

	r := New(api, rt, Options{Scope: "s"})
	r.sweep(ctx, true)
	if left := slices.Sorted(maps.Keys(rt.containers)); !slices.Equal(left, []string{"other", "taken"}) {
		t.Fatalf("after the sweep: %v, want the task's sandbox and the other scope's", left)
	}
}

// listRuntime lists and removes containers; nothing else is called.
type listRuntime struct {
	runtime.Disabled
	containers map[string]runtime.ContainerState
}

func (l *listRuntime) add(id string, labels map[string]string) {
	l.containers[id] = runtime.ContainerState{ID: id, Name: id, Labels: labels, Status: "running", Running: true, StartedAt: time.Now()}
}

func (l *listRuntime) ListContainers(context.Context) ([]runtime.ContainerState, error) {
	return slices.Collect(maps.Values(l.containers)), nil
}

func (l *listRuntime) RemoveContainer(_ context.Context, id string) error {
	delete(l.containers, id)
	return nil
}
