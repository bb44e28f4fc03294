package cloudformation

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// updatable are the statuses an update (or a change set) may start from.
var updatable = []string{"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"}

// CreateStack creates a stack and deploys it in the background.
func (a *API) CreateStack(ctx context.Context, in *cloudformation.CreateStackInput) (*cloudformation.CreateStackOutput, error) {
	name := deref(in.StackName)
	if err := checkName("stackName", name); err != nil {
		return nil, err
	}
	if in.DisableRollback != nil && in.OnFailure != "" {
		return nil, errValidation("You can specify either DisableRollback or OnFailure, but not both.")
	}
	st := a.store(ctx)
	if err := st.checkNew(name); err != nil {
		return nil, err
	}
	s := &stack{id: stackARN(st.region, st.account, name), name: name, resources: map[string]*engine.Resource{}}
	t, err := a.loadTemplate(ctx, st, templateSource{body: in.TemplateBody, url: in.TemplateURL}, nil)
	if err != nil {
		return nil, err
	}
	p, err := a.prepare(st, st.engineStack(s), t, in.Parameters, nil, in.Capabilities, in.Tags)
	if err != nil {
		return nil, err
	}
	onFailure := string(in.OnFailure)
	if deref(in.DisableRollback) {
		onFailure = engine.OnFailureDoNothing
	}
	s.created = a.now()
	s.status = "CREATE_IN_PROGRESS"
	s.notificationARNs, s.roleARN, s.timeout = in.NotificationARNs, deref(in.RoleARN), in.TimeoutInMinutes
	s.disableRollback = onFailure == engine.OnFailureDoNothing
	s.protection = deref(in.EnableTerminationProtection)
	s.policy = in.StackPolicyBody
	s.next = &settings{cfg: p.cfg, values: p.values, capabilities: capabilityNames(in.Capabilities), tags: in.Tags, description: t.Description}
	s.adopt(s.next)
	st.mu.Lock()
	defer st.unlock()
	if err := st.checkNewLocked(name); err != nil {
		return nil, err
	}
	st.add(s)
	a.start(st, s, engine.Operation{Kind: engine.KindCreate, Next: p.cfg, OnFailure: onFailure})
	return &cloudformation.CreateStackOutput{StackId: ptr(s.id)}, nil
}

// checkNew refuses a name a live stack has.
func (st *store) checkNew(name string) error {
	st.mu.Lock()
	defer st.unlock()
	return st.checkNewLocked(name)
}

func (st *store) checkNewLocked(name string) error {
	if s := st.byName[name]; s != nil {
		return errAlreadyExists("Stack [" + name + "] already exists")
	}
	return nil
}

func capabilityNames(caps []types.Capability) []string {
	out := make([]string, len(caps))
	for i, c := range caps {
		out[i] = string(c)
	}
	return out
}

// UpdateStack updates a stack in the background; an update that would
// change nothing is refused.
func (a *API) UpdateStack(ctx context.Context, in *cloudformation.UpdateStackInput) (*cloudformation.UpdateStackOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	s, err := st.findLive(deref(in.StackName))
	var cur *engine.Deployed
	var values map[string]string
	tags := in.Tags
	if err == nil {
		err = checkUpdatable(s)
		cur, values = s.deployed(), s.values
		if tags == nil {
			tags = s.tags
		}
	}
	st.unlock()
	if err != nil {
		return nil, err
	}
	t, err := a.loadTemplate(ctx, st, templateSource{body: in.TemplateBody, url: in.TemplateURL, usePrevious: deref(in.UsePreviousTemplate)}, cur.Template)
	if err != nil {
		return nil, err
	}
	p, err := a.prepare(st, st.engineStack(s), t, in.Parameters, values, in.Capabilities, tags)
	if err != nil {
		return nil, err
	}
	changes, err := a.engine.Plan(st.engineStack(s), cur, p.cfg, sink{a: a, st: st, s: s})
	if err != nil {
		return nil, err
	}
	if sameConfig(cur, p.cfg, changes) {
		return nil, errValidation("No updates are to be performed.")
	}
	st.mu.Lock()
	defer st.unlock()
	if err := checkUpdatable(s); err != nil {
		return nil, err
	}
	onFailure := ""
	if deref(in.DisableRollback) {
		onFailure = engine.OnFailureDoNothing
	}
	if in.NotificationARNs != nil {
		s.notificationARNs = in.NotificationARNs
	}
	if in.StackPolicyBody != nil {
		s.policy = in.StackPolicyBody
	}
	s.next = &settings{cfg: p.cfg, values: p.values, capabilities: capabilityNames(in.Capabilities), tags: tags, description: t.Description}
	s.updated, s.status, s.reason = a.now(), "UPDATE_IN_PROGRESS", ""
	a.start(st, s, engine.Operation{Kind: engine.KindUpdate, Current: s.deployed(), Next: p.cfg, OnFailure: onFailure})
	return &cloudformation.UpdateStackOutput{StackId: ptr(s.id)}, nil
}

// checkUpdatable refuses an update of a stack in the wrong state.
func checkUpdatable(s *stack) error {
	if s.busy() || !slices.Contains(updatable, s.status) {
		return errValidation("Stack:%s is in %s state and can not be updated.", s.id, s.status)
	}
	return nil
}

// DeleteStack deletes a stack in the background. Deleting a stack that
// does not exist succeeds, as on AWS.
func (a *API) DeleteStack(ctx context.Context, in *cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s := st.find(deref(in.StackName))
	if s == nil || !s.live() || s.status == "DELETE_IN_PROGRESS" {
		return &cloudformation.DeleteStackOutput{}, nil
	}
	if s.protection {
		return nil, errValidation("Stack [%s] cannot be deleted while TerminationProtection is enabled", s.name)
	}
	var retain map[string]bool
	if len(in.RetainResources) > 0 {
		if s.status != "DELETE_FAILED" {
			return nil, errValidation("Invalid operation on stack [%s]. RetainResources can only be specified when the stack is in the DELETE_FAILED state.", s.id)
		}
		retain = map[string]bool{}
		for _, id := range in.RetainResources {
			retain[id] = true
		}
	}
	if s.busy() { // after the running operation, as CloudFormation queues it
		s.deleteAfter, s.deleteRetain = true, retain
		st.saveStack(s)
		s.handle.Cancel()
		return &cloudformation.DeleteStackOutput{}, nil
	}
	a.startDelete(st, s, retain)
	return &cloudformation.DeleteStackOutput{}, nil
}

// UpdateTerminationProtection turns a stack's termination protection on
// or off.
func (a *API) UpdateTerminationProtection(ctx context.Context, in *cloudformation.UpdateTerminationProtectionInput) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s, err := st.findLive(deref(in.StackName))
	if err != nil {
		return nil, err
	}
	s.protection = deref(in.EnableTerminationProtection)
	st.saveStack(s)
	return &cloudformation.UpdateTerminationProtectionOutput{StackId: ptr(s.id)}, nil
}

// CancelUpdateStack stops a running update, which then rolls back.
func (a *API) CancelUpdateStack(ctx context.Context, in *cloudformation.CancelUpdateStackInput) (*cloudformation.CancelUpdateStackOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s, err := st.findLive(deref(in.StackName))
	if err != nil {
		return nil, err
	}
	if s.status != "UPDATE_IN_PROGRESS" || s.handle == nil {
		return nil, errValidation("CancelUpdateStack cannot be called from current stack status")
	}
	s.handle.Cancel()
	return &cloudformation.CancelUpdateStackOutput{}, nil
}

// ContinueUpdateRollback ends an UPDATE_ROLLBACK_FAILED stack: the
// resources that could not be rolled back are left as they are (the
// emulator does not retry them), as with ResourcesToSkip.
func (a *API) ContinueUpdateRollback(ctx context.Context, in *cloudformation.ContinueUpdateRollbackInput) (*cloudformation.ContinueUpdateRollbackOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s, err := st.findLive(deref(in.StackName))
	if err != nil {
		return nil, err
	}
	if s.status != "UPDATE_ROLLBACK_FAILED" {
		return nil, errValidation("Stack %s is in %s state and can not continue update rollback.", s.id, s.status)
	}
	k := sink{a: a, st: st, s: s}
	for _, status := range []string{"UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"} {
		s.status, s.reason = status, ""
		st.record(s, k.stackEvent(status))
	}
	st.saveStack(s)
	return &cloudformation.ContinueUpdateRollbackOutput{}, nil
}

// stackEvent is an event of the stack itself; st.mu is held.
func (k sink) stackEvent(status string) types.StackEvent {
	return types.StackEvent{EventId: ptr(uuid()), StackId: ptr(k.s.id), StackName: ptr(k.s.name), LogicalResourceId: ptr(k.s.name),
		PhysicalResourceId: ptr(k.s.id), ResourceType: ptr("AWS::CloudFormation::Stack"), ResourceStatus: types.ResourceStatus(status),
		Timestamp: ptr(k.a.now())}
}

// SetStackPolicy records a stack policy (it is not enforced).
func (a *API) SetStackPolicy(ctx context.Context, in *cloudformation.SetStackPolicyInput) (*cloudformation.SetStackPolicyOutput, error) {
	st := a.store(ctx)
	body := in.StackPolicyBody
	if body == nil && in.StackPolicyURL != nil {
		b, err := a.fetch(ctx, st.region, *in.StackPolicyURL)
		if err != nil {
			return nil, err
		}
		body = ptr(string(b))
	}
	st.mu.Lock()
	defer st.unlock()
	s, err := st.findLive(deref(in.StackName))
	if err != nil {
		return nil, err
	}
	s.policy = body
	st.saveStack(s)
	return &cloudformation.SetStackPolicyOutput{}, nil
}

// GetStackPolicy returns the recorded stack policy.
func (a *API) GetStackPolicy(ctx context.Context, in *cloudformation.GetStackPolicyInput) (*cloudformation.GetStackPolicyOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s, err := st.findLive(deref(in.StackName))
	if err != nil {
		return nil, err
	}
	return &cloudformation.GetStackPolicyOutput{StackPolicyBody: s.policy}, nil
}
