package ecs

import (
	"context"
	"fmt"
	"regexp"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

var startedByPattern = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,128}$`)

func (s *Store) RunTask(_ context.Context, in *ecs.RunTaskInput) (*ecs.RunTaskOutput, error) {
	count := int(deref(in.Count))
	if in.Count == nil {
		count = 1
	}
	if count < 1 || count > 10 {
		return nil, errInvalidParameter("Count must be between 1 and 10.")
	}
	if in.StartedBy != nil && !startedByPattern.MatchString(*in.StartedBy) {
		return nil, errInvalidParameter("startedBy can have up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores and forward slashes.")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	td, err := s.usableTaskDefinition(in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	lt, cp, err := s.resolveLaunchType(cluster, in.LaunchType, in.CapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	if err := s.checkNetwork(td, lt, in.NetworkConfiguration); err != nil {
		return nil, err
	}
	if err := validOverrides(td, in.Overrides); err != nil {
		return nil, err
	}
	group := deref(in.Group)
	if group == "" {
		group = "family:" + *td.Family
	}
	// The request is compared as resolved (cluster ARN, not the name or ARN
	// the caller happened to use), so a retry spelled differently replays.
	request := fmt.Sprintf("%s|%s|%d|%s|%s|%s", *cluster.ClusterArn, *td.TaskDefinitionArn, count, deref(in.StartedBy), group, lt)
	if tok := deref(in.ClientToken); tok != "" {
		if prev, ok := s.runTokens[tok]; ok {
			return s.replayRunTask(prev, request)
		}
	}
	tags := clone.Of(in.Tags)
	if in.PropagateTags == types.PropagateTagsTaskDefinition {
		tags = append(s.getTags(*td.TaskDefinitionArn), tags...)
	}
	out := &ecs.RunTaskOutput{Tasks: []types.Task{}, Failures: []types.Failure{}}
	var arns []string
	for range count {
		t := s.launchTask(launchParams{
			cluster: cluster, definition: td, launchType: lt, capacityProvider: cp,
			network: in.NetworkConfiguration, overrides: in.Overrides,
			group: group, startedBy: deref(in.StartedBy), tags: tags, enableExec: in.EnableExecuteCommand,
		})
		arns = append(arns, *t.TaskArn)
		out.Tasks = append(out.Tasks, s.taskView(t, true))
	}
	if tok := deref(in.ClientToken); tok != "" {
		s.runTokens[tok] = runToken{request: request, tasks: arns}
		s.touch(recRunToken, tok)
	}
	return out, nil
}

// replayRunTask answers a RunTask retried with the same clientToken.
func (s *Store) replayRunTask(prev runToken, request string) (*ecs.RunTaskOutput, error) {
	if prev.request != request {
		return nil, &types.ConflictException{
			Message:     ptr("The specified client token has already been used in a request with different parameters."),
			ResourceIds: clone.Of(prev.tasks),
		}
	}
	out := &ecs.RunTaskOutput{Tasks: []types.Task{}, Failures: []types.Failure{}}
	for _, arn := range prev.tasks {
		if t, ok := s.tasks[arn]; ok {
			out.Tasks = append(out.Tasks, s.taskView(t, true))
		}
	}
	return out, nil
}

// resolveLaunchType applies ECS's rule: launchType, else a capacity
// provider strategy, else the cluster's default strategy, else EC2.
func (s *Store) resolveLaunchType(c *types.Cluster, lt types.LaunchType, strategy []types.CapacityProviderStrategyItem) (types.LaunchType, string, error) {
	if lt != "" && len(strategy) > 0 {
		return "", "", errInvalidParameter("Specify either Launch Type or Capacity Provider Strategy, but not both.")
	}
	if err := validEnum(lt, "launchType"); err != nil {
		return "", "", err
	}
	if err := s.validStrategy(strategy); err != nil {
		return "", "", err
	}
	if lt != "" {
		return lt, "", nil
	}
	if len(strategy) == 0 {
		strategy = c.DefaultCapacityProviderStrategy
	}
	if len(strategy) == 0 {
		return types.LaunchTypeEc2, "", nil
	}
	cp := deref(strategy[0].CapacityProvider)
	return launchTypeOfProvider(cp), cp, nil
}

func validNetwork(td *types.TaskDefinition, lt types.LaunchType, nc *types.NetworkConfiguration) error {
	if lt == types.LaunchTypeFargate && !requires(td.Compatibilities, types.CompatibilityFargate) {
		return errInvalidParameter("Task definition does not support launch_type FARGATE.")
	}
	if td.NetworkMode != types.NetworkModeAwsvpc {
		if nc != nil && nc.AwsvpcConfiguration != nil {
			return errInvalidParameter("Network Configuration is not valid for the given networkMode of this task definition.")
		}
		return nil
	}
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return errInvalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	}
	if len(nc.AwsvpcConfiguration.Subnets) == 0 {
		return errInvalidParameter("subnets can not be empty.")
	}
	if len(nc.AwsvpcConfiguration.Subnets) > 16 || len(nc.AwsvpcConfiguration.SecurityGroups) > 5 {
		return errInvalidParameter("At most 16 subnets and 5 security groups can be specified.")
	}
	return validEnum(nc.AwsvpcConfiguration.AssignPublicIp, "networkConfiguration.awsvpcConfiguration.assignPublicIp")
}

func validOverrides(td *types.TaskDefinition, o *types.TaskOverride) error {
	if o == nil {
		return nil
	}
	for _, co := range o.ContainerOverrides {
		found := false
		for _, cd := range td.ContainerDefinitions {
			found = found || deref(cd.Name) == deref(co.Name)
		}
		if !found {
			return errInvalidParameter("Override for container named %s is not a container in the TaskDefinition.", deref(co.Name))
		}
	}
	return nil
}

// taskView is the wire view of a task; tags only when asked for.
func (s *Store) taskView(t *Task, withTags bool) types.Task {
	v := clone.Of(t.Task)
	v.Tags = nil
	if withTags {
		v.Tags = s.getTags(*t.TaskArn)
	}
	return v
}

// findTask resolves a task ID or ARN within a cluster. Callers hold the lock.
func (s *Store) findTask(cluster *types.Cluster, ref string) (*Task, string) {
	id := nameFromRef(ref, "task")
	arn := taskARN(s.region, s.account, deref(cluster.ClusterName), id)
	return s.tasks[arn], arn
}

func (s *Store) StopTask(_ context.Context, in *ecs.StopTaskInput) (*ecs.StopTaskOutput, error) {
	if deref(in.Task) == "" {
		return nil, errInvalidParameter("Task can not be blank.")
	}
	if r := deref(in.Reason); len(r) > 1024 {
		return nil, errInvalidParameter("Reason can have at most 1024 characters.")
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	t, _ := s.findTask(cluster, *in.Task)
	if t == nil {
		return nil, errInvalidParameter("The referenced task was not found.")
	}
	reason := deref(in.Reason)
	if reason == "" {
		reason = "Task stopped by user"
	}
	s.requestStop(t, types.TaskStopCodeUserInitiated, reason)
	return &ecs.StopTaskOutput{Task: ptr(s.taskView(t, false))}, nil
}

// requestStop sets a task's desired status to STOPPED, once: the first
// reason given is the one ECS keeps. Callers hold the lock.
func (s *Store) requestStop(t *Task, code types.TaskStopCode, reason string) {
	if deref(t.DesiredStatus) == "STOPPED" {
		return
	}
	t.DesiredStatus = ptr("STOPPED")
	t.StopCode = code
	t.StoppedReason = ptr(reason)
	t.StoppingAt = s.timestamp()
	t.Version++
	s.changed(ChangeTask, *t.TaskArn)
	if t.ServiceARN != "" {
		s.changed(ChangeService, t.ServiceARN)
	}
}

func (s *Store) DescribeTasks(_ context.Context, in *ecs.DescribeTasksInput) (*ecs.DescribeTasksOutput, error) {
	if len(in.Tasks) == 0 {
		return nil, errInvalidParameter("Tasks cannot be empty.")
	}
	if len(in.Tasks) > 100 {
		return nil, errInvalidParameter("Tasks can have at most 100 items.")
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == types.TaskFieldTags
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTasksOutput{Tasks: []types.Task{}, Failures: []types.Failure{}}
	for _, ref := range in.Tasks {
		t, arn := s.findTask(cluster, ref)
		if t == nil {
			out.Failures = append(out.Failures, missing(arn))
			continue
		}
		out.Tasks = append(out.Tasks, s.taskView(t, withTags))
	}
	return out, nil
}

func (s *Store) ListTasks(_ context.Context, in *ecs.ListTasksInput) (*ecs.ListTasksOutput, error) {
	desired := string(in.DesiredStatus)
	if desired == "" {
		desired = "RUNNING"
	}
	if err := validEnum(in.DesiredStatus, "desiredStatus"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		unlock()
		return nil, err
	}
	svcARN := ""
	if in.ServiceName != nil {
		svc := s.services[serviceARN(s.region, s.account, *cluster.ClusterName, nameFromRef(*in.ServiceName, "service"))]
		if svc == nil {
			unlock()
			return nil, errServiceNotFound()
		}
		svcARN = *svc.ServiceArn
	}
	var arns []string
	candidates := s.tasks
	if svcARN != "" {
		candidates = s.byService[svcARN]
	}
	for arn, t := range candidates {
		if deref(t.ClusterArn) != *cluster.ClusterArn || taskDesired(t) != desired ||
			svcARN != "" && t.ServiceARN != svcARN ||
			in.Family != nil && deref(t.Definition.Family) != *in.Family ||
			in.StartedBy != nil && deref(t.StartedBy) != *in.StartedBy ||
			in.LaunchType != "" && t.LaunchType != in.LaunchType ||
			in.ContainerInstance != nil {
			continue
		}
		arns = append(arns, arn)
	}
	unlock()
	sort.Strings(arns)
	pg, next, err := page(arns, in.NextToken, in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTasksOutput{TaskArns: nonNil(pg), NextToken: next}, nil
}

// taskDesired is the desired status ListTasks filters on: PENDING counts
// as RUNNING, as in ECS.
func taskDesired(t *Task) string {
	if deref(t.DesiredStatus) == "STOPPED" {
		return "STOPPED"
	}
	return "RUNNING"
}
