package providers

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

func TestECSClusterLifecycle(t *testing.T) {
	e := newEnv(t)
	req, res := e.create(t, "AWS::ECS::Cluster", "ClusterEB0386A7", map[string]any{
		"ClusterSettings": []any{map[string]any{"Name": "containerInsights", "Value": "enabled"}},
	})
	if !strings.HasPrefix(res.PhysicalID, "TutorialStack-ClusterEB0386A7-") {
		t.Errorf("generated name = %q", res.PhysicalID)
	}
	if want := "arn:aws:ecs:us-east-1:000000000000:cluster/" + res.PhysicalID; res.Attributes["Arn"] != want {
		t.Errorf("Arn = %v, want %s", res.Attributes["Arn"], want)
	}
	store := e.apis.ECS.Store(testRegion)
	out, err := store.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{
		Clusters: []string{res.PhysicalID}, Include: []types.ClusterField{types.ClusterFieldSettings, types.ClusterFieldTags}})
	if err != nil || len(out.Clusters) != 1 {
		t.Fatalf("DescribeClusters: %v %+v", err, out)
	}
	c := out.Clusters[0]
	if len(c.Settings) != 1 || deref(c.Settings[0].Value) != "enabled" {
		t.Errorf("settings = %+v", c.Settings)
	}
	if len(c.Tags) != 1 || deref(c.Tags[0].Key) != "team" {
		t.Errorf("tags = %+v, want only the stack's user tag", c.Tags)
	}
	e.update(t, req, map[string]any{"ClusterSettings": []any{map[string]any{"Name": "containerInsights", "Value": "disabled"}}})
	out, _ = store.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: []string{res.PhysicalID}, Include: []types.ClusterField{types.ClusterFieldSettings}})
	if deref(out.Clusters[0].Settings[0].Value) != "disabled" {
		t.Errorf("after update settings = %+v", out.Clusters[0].Settings)
	}
	p := e.reg["AWS::ECS::Cluster"]
	if p.Replaces(map[string]any{}, map[string]any{"ClusterSettings": []any{}}) {
		t.Error("a settings change replaces the cluster")
	}
	if !p.Replaces(map[string]any{"ClusterName": "a"}, map[string]any{"ClusterName": "b"}) {
		t.Error("a new ClusterName does not replace the cluster")
	}
	e.deleteTwice(t, req)
	out, _ = store.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: []string{res.PhysicalID}})
	if len(out.Clusters) != 1 || deref(out.Clusters[0].Status) != "INACTIVE" {
		t.Errorf("after delete: %+v", out.Clusters)
	}
}

func taskDefProps(image string) map[string]any {
	return map[string]any{
		"Family": "api", "Cpu": "256", "Memory": "512", "NetworkMode": "awsvpc",
		"RequiresCompatibilities": []any{"FARGATE"},
		"ContainerDefinitions": []any{map[string]any{
			"Name": "web", "Image": image, "Essential": true,
			"PortMappings": []any{map[string]any{"ContainerPort": 80, "Protocol": "tcp"}},
		}},
	}
}

func TestECSTaskDefinitionRevisions(t *testing.T) {
	e := newEnv(t)
	p := e.reg["AWS::ECS::TaskDefinition"]
	req1, res1 := e.create(t, "AWS::ECS::TaskDefinition", "ApiTaskDef", taskDefProps("nginx:1"))
	if !strings.HasSuffix(res1.PhysicalID, ":task-definition/api:1") || res1.Attributes["TaskDefinitionArn"] != res1.PhysicalID {
		t.Fatalf("first revision = %+v", res1)
	}
	if !p.Replaces(taskDefProps("nginx:1"), taskDefProps("nginx:2")) {
		t.Fatal("an image change does not replace the task definition")
	}
	withTags := taskDefProps("nginx:1")
	withTags["Tags"] = []any{map[string]any{"Key": "k", "Value": "v"}}
	if p.Replaces(taskDefProps("nginx:1"), withTags) {
		t.Error("a tag change replaces the task definition")
	}
	_, res2 := e.create(t, "AWS::ECS::TaskDefinition", "ApiTaskDef", taskDefProps("nginx:2"))
	if !strings.HasSuffix(res2.PhysicalID, ":task-definition/api:2") {
		t.Fatalf("replacement = %s, want revision 2", res2.PhysicalID)
	}
	e.deleteTwice(t, req1)
	out, err := e.apis.ECS.Store(testRegion).DescribeTaskDefinition(context.Background(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: &res1.PhysicalID})
	if err != nil || out.TaskDefinition.Status != types.TaskDefinitionStatusInactive {
		t.Errorf("old revision after delete: %v %v", err, out)
	}
	if _, err := p.Create(testCtx(t), request("AWS::ECS::TaskDefinition", "X", map[string]any{"Bogus": 1})); err == nil ||
		!strings.Contains(err.Error(), "Encountered unsupported property Bogus") {
		t.Errorf("unknown property: %v", err)
	}
}

// fakeReconciler plays internal/reconcile for the services of a store:
// rollouts complete (or fail, when fail is set) and draining services go
// INACTIVE.
func fakeReconciler(ctx context.Context, s *ecsapi.Store, fail string) {
	for ctx.Err() == nil {
		for _, arn := range s.ServiceARNs() {
			s.MutateService(arn, func(svc *ecsapi.Service) {
				switch {
				case deref(svc.Status) == "DRAINING":
					svc.Status = ptr("INACTIVE")
				case fail != "":
					for i := range svc.Deployments {
						if deref(svc.Deployments[i].Status) == "PRIMARY" {
							svc.Deployments[i].RolloutState = types.DeploymentRolloutStateFailed
							svc.Deployments[i].RolloutStateReason = ptr(fail)
						}
					}
				default:
					ecsapi.CompletePrimary(svc, time.Now())
					svc.RunningCount = svc.DesiredCount
				}
			})
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func serviceProps(cluster, taskDef string, desired int) map[string]any {
	return map[string]any{
		"Cluster": cluster, "TaskDefinition": taskDef, "DesiredCount": desired, "LaunchType": "FARGATE",
		"EnableECSManagedTags": false,
		"DeploymentConfiguration": map[string]any{
			"DeploymentCircuitBreaker": map[string]any{"Enable": true, "Rollback": true},
			"MaximumPercent":           200, "MinimumHealthyPercent": 50,
		},
		"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{
			"AssignPublicIp": "DISABLED", "Subnets": []any{"subnet-1"}, "SecurityGroups": []any{"sg-1"}}},
	}
}

func TestECSServiceStableUpdateDelete(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go fakeReconciler(ctx, e.apis.ECS.Store(testRegion), "")
	_, cl := e.create(t, "AWS::ECS::Cluster", "Cluster", map[string]any{"ClusterName": "tutorial"})
	_, td := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:1"))
	// DesiredCount 0: the fake reconciler launches no tasks, so running
	// (counted from tasks) matches desired only at zero; stable() is
	// tested on its own below.
	req, res := e.create(t, "AWS::ECS::Service", "ApiService", serviceProps(cl.PhysicalID, td.PhysicalID, 0))
	name := res.Attributes["Name"].(string)
	if !strings.HasPrefix(name, "TutorialStack-ApiService-") || res.Attributes["ServiceArn"] != res.PhysicalID ||
		res.PhysicalID != "arn:aws:ecs:us-east-1:000000000000:service/tutorial/"+name {
		t.Fatalf("result = %+v", res)
	}
	p := e.reg["AWS::ECS::Service"]
	if p.Replaces(serviceProps("tutorial", "a", 1), serviceProps("tutorial", "b", 3)) {
		t.Error("task definition and count changes replace the service")
	}
	if !p.Replaces(serviceProps("tutorial", "a", 1), serviceProps("other", "a", 1)) {
		t.Error("a new Cluster does not replace the service")
	}
	_, td2 := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:2"))
	e.update(t, req, serviceProps(cl.PhysicalID, td2.PhysicalID, 0))
	out, _ := e.apis.ECS.Store(testRegion).DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: ptr("tutorial"), Services: []string{req.PhysicalID}})
	if svc := out.Services[0]; deref(svc.TaskDefinition) != td2.PhysicalID || len(svc.Deployments) != 1 {
		t.Errorf("after update task definition = %s, deployments %d", deref(svc.TaskDefinition), len(svc.Deployments))
	}
	e.deleteTwice(t, req)
	out, _ = e.apis.ECS.Store(testRegion).DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: ptr("tutorial"), Services: []string{req.PhysicalID}})
	if len(out.Services) == 1 && deref(out.Services[0].Status) != "INACTIVE" {
		t.Errorf("after delete status = %s", deref(out.Services[0].Status))
	}
}

// breakerMessage is CloudFormation's ECS handler's message for a
// deployment the circuit breaker failed.
const breakerMessage = "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."

func TestECSServiceCircuitBreakerFails(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go fakeReconciler(ctx, e.apis.ECS.Store(testRegion), "ECS deployment circuit breaker: tasks failed to start.")
	_, cl := e.create(t, "AWS::ECS::Cluster", "Cluster", map[string]any{})
	_, td := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:1"))
	_, err := e.reg["AWS::ECS::Service"].Create(testCtx(t), request("AWS::ECS::Service", "S", serviceProps(cl.PhysicalID, td.PhysicalID, 1)))
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorMessage() != breakerMessage {
		t.Fatalf("Create = %v, want %q", err, breakerMessage)
	}
}

// rollbackReconciler completes every deployment except those of the
// broken task definition, which the circuit breaker fails and rolls back
// at once: the failed deployment is gone before anyone can see it FAILED,
// as when the rollback ends between two looks of the provider.
func rollbackReconciler(ctx context.Context, s *ecsapi.Store, broken *atomic.Value) {
	for ctx.Err() == nil {
		for _, arn := range s.ServiceARNs() {
			s.MutateService(arn, func(svc *ecsapi.Service) {
				d := svc.Deployments[0]
				if b, _ := broken.Load().(string); deref(d.TaskDefinition) == b && d.RolloutState == types.DeploymentRolloutStateInProgress {
					ecsapi.TripCircuitBreaker(svc, time.Now())
				}
				ecsapi.CompletePrimary(svc, time.Now())
				svc.RunningCount = svc.DesiredCount
			})
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestECSServiceUpdateRolledBackFails(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var broken atomic.Value
	go rollbackReconciler(ctx, e.apis.ECS.Store(testRegion), &broken)
	_, cl := e.create(t, "AWS::ECS::Cluster", "Cluster", map[string]any{})
	_, td := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:1"))
	_, td2 := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:2"))
	broken.Store(td2.PhysicalID)
	// DesiredCount 0, as in TestECSServiceStableUpdateDelete.
	req, _ := e.create(t, "AWS::ECS::Service", "S", serviceProps(cl.PhysicalID, td.PhysicalID, 0))
	next := *req
	next.PreviousProperties, next.Properties = req.Properties, serviceProps(cl.PhysicalID, td2.PhysicalID, 0)
	_, err := e.reg["AWS::ECS::Service"].Update(testCtx(t), &next)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorMessage() != breakerMessage {
		t.Fatalf("Update = %v, want %q", err, breakerMessage)
	}
	out, _ := e.apis.ECS.Store(testRegion).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: &cl.PhysicalID, Services: []string{req.PhysicalID}})
	if got := deref(out.Services[0].TaskDefinition); got != td.PhysicalID {
		t.Errorf("task definition after the rollback %s, want %s", got, td.PhysicalID)
	}
	// An update that starts no deployment (the rollback's own properties,
	// as CloudFormation's update rollback sends them) is not failed by the
	// earlier rollback.
	// It starts no deployment either: the tasks the circuit breaker kept
	// keep serving.
	next.PreviousProperties, next.Properties = next.Properties, req.Properties
	if _, err := e.reg["AWS::ECS::Service"].Update(testCtx(t), &next); err != nil {
		t.Errorf("update back to the rolled-back-to properties: %v", err)
	}
	again, _ := e.apis.ECS.Store(testRegion).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: &cl.PhysicalID, Services: []string{req.PhysicalID}})
	if a, b := deref(out.Services[0].CurrentServiceDeployment), deref(again.Services[0].CurrentServiceDeployment); a != b {
		t.Errorf("the update back started service deployment %s (was %s)", b, a)
	}
}

func TestECSServiceWaitHonoursContext(t *testing.T) {
	e := newEnv(t) // no reconciler: the rollout never completes
	_, cl := e.create(t, "AWS::ECS::Cluster", "Cluster", map[string]any{})
	_, td := e.create(t, "AWS::ECS::TaskDefinition", "TD", taskDefProps("nginx:1"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.reg["AWS::ECS::Service"].Create(ctx, request("AWS::ECS::Service", "S", serviceProps(cl.PhysicalID, td.PhysicalID, 1)))
	if err != context.DeadlineExceeded {
		t.Fatalf("Create = %v, want the context's deadline", err)
	}
}

func TestECSCapacityProviderAssociations(t *testing.T) {
	e := newEnv(t)
	_, cl := e.create(t, "AWS::ECS::Cluster", "Cluster", map[string]any{"ClusterName": "cp"})
	req, res := e.create(t, "AWS::ECS::ClusterCapacityProviderAssociations", "Assoc", map[string]any{
		"Cluster": cl.PhysicalID, "CapacityProviders": []any{"FARGATE", "FARGATE_SPOT"},
		"DefaultCapacityProviderStrategy": []any{map[string]any{"CapacityProvider": "FARGATE", "Weight": 1}},
	})
	if res.PhysicalID != "cp" {
		t.Errorf("PhysicalID = %s", res.PhysicalID)
	}
	out, _ := e.apis.ECS.Store(testRegion).DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: []string{"cp"}})
	if got := out.Clusters[0].CapacityProviders; len(got) != 2 {
		t.Errorf("capacity providers = %v", got)
	}
	e.deleteTwice(t, req)
	out, _ = e.apis.ECS.Store(testRegion).DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: []string{"cp"}})
	if got := out.Clusters[0].CapacityProviders; len(got) != 0 {
		t.Errorf("after delete capacity providers = %v", got)
	}
}

func TestECSServiceStable(t *testing.T) {
	done := types.Deployment{RolloutState: types.DeploymentRolloutStateCompleted}
	busy := types.Deployment{RolloutState: types.DeploymentRolloutStateInProgress}
	failed := types.Deployment{RolloutState: types.DeploymentRolloutStateFailed, RolloutStateReason: ptr("broken")}
	for _, tc := range []struct {
		name     string
		svc      types.Service
		want     bool
		wantFail bool
	}{
		{"completed and counted", types.Service{Deployments: []types.Deployment{done}, DesiredCount: 2, RunningCount: 2}, true, false},
		{"tasks still starting", types.Service{Deployments: []types.Deployment{done}, DesiredCount: 2, RunningCount: 1}, false, false},
		{"rollout in progress", types.Service{Deployments: []types.Deployment{busy}}, false, false},
		{"two deployments", types.Service{Deployments: []types.Deployment{done, done}}, false, false},
		{"circuit breaker failed, no rollback", types.Service{Deployments: []types.Deployment{failed}}, false, true},
		{"rolling back from a failed deployment", types.Service{Deployments: []types.Deployment{busy, failed}}, false, false},
		{"rolled back, the failed one draining", types.Service{Deployments: []types.Deployment{done, failed}, DesiredCount: 1, RunningCount: 1}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := stable(&tc.svc)
			if got != tc.want || (err != nil) != tc.wantFail {
				t.Errorf("stable = %v, %v", got, err)
			}
		})
	}
}
