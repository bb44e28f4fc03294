package reconcile

import (
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// TaskEnvironment is what the emulator gives every task beyond its
// definition, as Fargate does: variables such as the metadata endpoint's
// URIs, the task role's credentials and the AWS endpoint, and host names.
type TaskEnvironment interface {
	// Variables are set in the named container of the task before the
	// definition's own environment, which wins on a clash (a task that
	// sets AWS_ENDPOINT_URL keeps its own).
	Variables(t *ecsapi.Task, container string) []types.KeyValuePair
	// Hosts are extra /etc/hosts entries ("name:address") of every task.
	Hosts() []string
}

// SetTaskEnvironment sets what tasks get beyond their definitions; call
// before Start.
func (r *Reconciler) SetTaskEnvironment(e TaskEnvironment) { r.taskEnv = e }

// injectedVariables are the emulator's variables for one container.
func (r *Reconciler) injectedVariables(t *ecsapi.Task, container string) []types.KeyValuePair {
	if r.taskEnv == nil {
		return nil
	}
	return r.taskEnv.Variables(t, container)
}

// taskHosts are the extra /etc/hosts entries of a task.
func (r *Reconciler) taskHosts() []string {
	if r.taskEnv == nil {
		return nil
	}
	return r.taskEnv.Hosts()
}

// TaskDNS returns the resolvers of task containers (empty for Docker's).
func (r *Reconciler) TaskDNS() []string { return r.taskDNS }
