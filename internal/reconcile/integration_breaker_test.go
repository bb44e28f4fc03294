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

// withBreaker turns the deployment circuit breaker on.
func withBreaker(rollback bool) func(*ecs.CreateServiceInput) {
	return func(in *ecs.CreateServiceInput) {
		in.DeploymentConfiguration = &types.DeploymentConfiguration{
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: rollback},
		}
	}
}

// A rollout to an image that exits at once trips the circuit breaker after
// the threshold (3 for desired 4); with rollback the old task definition
// runs again and the service is stable with one COMPLETED deployment.
func TestIntegrationCircuitBreakerRollsBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := f.register("cbgood", f.app("web", "NAME=good"))
	name := f.createService("cb-rollback", good, 4, withBreaker(true))
	// Rollback goes to the last COMPLETED deployment: wait for it.
	svc, _ := f.waitService(name, "4 RUNNING tasks, deployment completed", 60*time.Second, func(s types.Service, ts []types.Task) bool {
		return runningTasks(4)(s, ts) && s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted
	})
	goodDeployment := aws.ToString(svc.Deployments[0].Id)

	bad := f.register("cbgood", f.app("web", "EXIT_AFTER=0", "EXIT_CODE=1"))
	f.updateTaskDefinition(name, bad)
	svc, _ = f.waitService(name, "rolled back and stable", 120*time.Second, func(s types.Service, ts []types.Task) bool {
		return runningTasks(4)(s, ts) && len(s.Deployments) == 1 && s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted
	})
	d := svc.Deployments[0]
	if aws.ToString(d.TaskDefinition) != good || aws.ToString(d.Id) != goodDeployment || aws.ToString(svc.TaskDefinition) != good {
		t.Errorf("after the rollback the service runs %s (deployment %s), want %s (%s)", aws.ToString(d.TaskDefinition), aws.ToString(d.Id), good, goodDeployment)
	}
	msgs := eventMessages(svc)
	if !containsPrefix(msgs, "(service cb-rollback) (deployment ecs-svc/") || !slices.Contains(msgs, "(service cb-rollback) rolling back to deployment "+goodDeployment+".") {
		t.Errorf("events lack the failure and rollback:\n%s", strings.Join(msgs, "\n"))
	}
	f.checkFailedHistory(name, types.ServiceDeploymentStatusRollbackSuccessful)
}

// Without rollback the failed deployment stays FAILED, no more of its
// tasks are launched, and the old tasks keep serving.
func TestIntegrationCircuitBreakerWithoutRollback(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := f.register("cbnoroll", f.app("web", "NAME=good"))
	name := f.createService("cb-norollback", good, 4, withBreaker(false))
	f.waitService(name, "4 RUNNING tasks", 60*time.Second, runningTasks(4))
	bad := f.register("cbnoroll", f.app("web", "EXIT_AFTER=0", "EXIT_CODE=1"))
	f.updateTaskDefinition(name, bad)
	svc, _ := f.waitService(name, "a FAILED primary deployment", 120*time.Second, func(s types.Service, ts []types.Task) bool {
		return len(s.Deployments) == 2 && s.Deployments[0].RolloutState == types.DeploymentRolloutStateFailed
	})
	p := svc.Deployments[0]
	if aws.ToString(p.Status) != "PRIMARY" || aws.ToString(p.RolloutStateReason) != "ECS deployment circuit breaker: tasks failed to start." || p.FailedTasks < 3 {
		t.Errorf("failed deployment:\n%s", dump(p))
	}
	launched := f.launchedBy(name, aws.ToString(p.Id))
	time.Sleep(5 * time.Second) // nothing more may start for the failed deployment
	if again := f.launchedBy(name, aws.ToString(p.Id)); again != launched {
		t.Errorf("tasks of the failed deployment: %d, then %d: launches went on", launched, again)
	}
	svc, _ = f.waitService(name, "old tasks still serving", 10*time.Second, func(s types.Service, ts []types.Task) bool { return s.RunningCount == 4 })
	f.checkFailedHistory(name, types.ServiceDeploymentStatusStopped)
}

func (f *fixture) updateTaskDefinition(service, taskDef string) {
	f.t.Helper()
	if _, err := f.ecs.UpdateService(f.ctx, &ecs.UpdateServiceInput{Cluster: aws.String(testCluster), Service: aws.String(service), TaskDefinition: aws.String(taskDef)}); err != nil {
		f.t.Fatalf("UpdateService: %v", err)
	}
}

// launchedBy counts every task (running or stopped) a deployment started.
func (f *fixture) launchedBy(service, deploymentID string) int {
	f.t.Helper()
	n := 0
	for _, st := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		out, err := f.ecs.ListTasks(f.ctx, &ecs.ListTasksInput{Cluster: aws.String(testCluster), StartedBy: aws.String(deploymentID), DesiredStatus: st})
		if err != nil {
			f.t.Fatalf("ListTasks: %v", err)
		}
		n += len(out.TaskArns)
	}
	return n
}

// checkFailedHistory finds the service deployment the breaker tripped in
// ListServiceDeployments/DescribeServiceDeployments.
func (f *fixture) checkFailedHistory(service string, want types.ServiceDeploymentStatus) {
	f.t.Helper()
	list, err := f.ecs.ListServiceDeployments(f.ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String(testCluster), Service: aws.String(service)})
	if err != nil || len(list.ServiceDeployments) != 2 {
		f.t.Fatalf("ListServiceDeployments: %v %s", err, dump(list))
	}
	newest := list.ServiceDeployments[0]
	out, err := f.ecs.DescribeServiceDeployments(f.ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(newest.ServiceDeploymentArn)}})
	if err != nil || len(out.ServiceDeployments) != 1 {
		f.t.Fatalf("DescribeServiceDeployments: %v", err)
	}
	sd := out.ServiceDeployments[0]
	cb := sd.DeploymentCircuitBreaker
	if sd.Status != want || cb == nil || cb.Status != types.ServiceDeploymentRollbackMonitorsStatusTriggered || cb.Threshold != 3 || cb.FailureCount < 3 {
		f.t.Errorf("service deployment: want status %s, breaker TRIGGERED at threshold 3:\n%s", want, dump(sd))
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) && strings.HasSuffix(s, "deployment failed: tasks failed to start.") {
			return true
		}
	}
	return false
}
