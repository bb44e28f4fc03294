package cloudformation

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// noChanges is CloudFormation's reason for a change set that changes
// nothing.
const noChanges = "The submitted information didn't contain changes. Submit different information to create a change set."

// CreateChangeSet checks a template and parameters at once and works out
// the changes in the background (CREATE_PENDING → CREATE_IN_PROGRESS →
// CREATE_COMPLETE or FAILED). A CREATE change set makes the stack, in
// REVIEW_IN_PROGRESS.
func (a *API) CreateChangeSet(ctx context.Context, in *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error) {
	name, stackName := deref(in.ChangeSetName), deref(in.StackName)
	if err := checkName("changeSetName", name); err != nil {
		return nil, err
	}
	kind := string(in.ChangeSetType)
	if kind == "" {
		kind = "UPDATE"
	}
	if kind == "IMPORT" {
		return nil, errValidation("ChangeSetType IMPORT is not supported by this emulator")
	}
	st := a.store(ctx)
	st.mu.Lock()
	s := st.find(stackName)
	if s != nil && !s.live() {
		s = nil
	}
	var cur *engine.Deployed
	var values map[string]string
	var tags []types.Tag
	var err error
	switch {
	case kind == "CREATE" && s != nil && s.status != "REVIEW_IN_PROGRESS":
		err = errAlreadyExists("Stack [" + stackName + "] already exists and cannot be created again with the changeSet [" + name + "].")
	case kind == "CREATE" && s == nil:
		if err = checkName("stackName", stackName); err == nil {
			s = &stack{id: stackARN(st.region, st.account, stackName), name: stackName, status: "REVIEW_IN_PROGRESS", resources: map[string]*engine.Resource{}}
		}
	case kind == "UPDATE" && s == nil:
		err = errValidation("Stack [%s] does not exist", stackName)
	case kind == "UPDATE":
		if err = checkUpdatable(s); err == nil {
			cur, values, tags = s.deployed(), s.values, s.tags
		}
	}
	if err == nil && s != nil {
		for _, cs := range st.changeSets {
			if cs.stack == s && cs.name == name {
				err = errAlreadyExists("ChangeSet [" + name + "] already exists")
			}
		}
	}
	st.unlock()
	if err != nil {
		return nil, err
	}
	var prevT *template.Template
	if cur != nil {
		prevT = cur.Template
	}
	t, err := a.loadTemplate(ctx, st, templateSource{body: in.TemplateBody, url: in.TemplateURL, usePrevious: deref(in.UsePreviousTemplate)}, prevT)
	if err != nil {
		return nil, err
	}
	if in.Tags != nil {
		tags = in.Tags
	}
	p, err := a.prepare(st, st.engineStack(s), t, in.Parameters, values, in.Capabilities, tags)
	if err != nil {
		return nil, err
	}
	cs := &changeSet{id: changeSetARN(st.region, st.account, name), name: name, stack: s, kind: kind, status: "CREATE_PENDING",
		execStatus: "UNAVAILABLE", description: deref(in.Description), created: a.now(), cfg: p.cfg, values: p.values,
		capabilities: capabilityNames(in.Capabilities), notifications: in.NotificationARNs, tags: tags, roleARN: deref(in.RoleARN)}
	st.mu.Lock()
	if kind == "CREATE" && st.find(stackName) == nil {
		s.created = a.now()
		st.add(s)
		ev := sink{a: a, st: st, s: s}.stackEvent("REVIEW_IN_PROGRESS")
		ev.ResourceStatusReason = ptr("User Initiated")
		st.record(s, ev)
	}
	st.changeSets[cs.id] = cs
	st.saveChangeSet(cs)
	st.unlock()
	go a.plan(st, cs, cur)
	return &cloudformation.CreateChangeSetOutput{Id: ptr(cs.id), StackId: ptr(s.id)}, nil
}

// plan works out a change set's changes.
func (a *API) plan(st *store, cs *changeSet, cur *engine.Deployed) {
	st.mu.Lock()
	cs.status = "CREATE_IN_PROGRESS"
	st.saveChangeSet(cs)
	stk := st.engineStack(cs.stack)
	st.unlock()
	changes, err := a.engine.Plan(stk, cur, cs.cfg, sink{a: a, st: st, s: cs.stack})
	st.mu.Lock()
	defer st.unlock()
	st.saveChangeSet(cs)
	switch {
	case err != nil:
		cs.status, cs.reason = "FAILED", errText(err)
	case cs.kind == "UPDATE" && sameConfig(cur, cs.cfg, changes):
		cs.status, cs.reason = "FAILED", noChanges
	default:
		cs.status, cs.execStatus, cs.changes = "CREATE_COMPLETE", "AVAILABLE", changes
	}
}

// errText is the message of an error.
func errText(err error) string {
	type messager interface{ ErrorMessage() string }
	if m, ok := err.(messager); ok {
		return m.ErrorMessage()
	}
	return err.Error()
}

// DescribeChangeSet describes a change set and its changes.
func (a *API) DescribeChangeSet(ctx context.Context, in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	cs, err := st.findChangeSet(deref(in.ChangeSetName), deref(in.StackName))
	if err != nil {
		return nil, err
	}
	out := &cloudformation.DescribeChangeSetOutput{
		ChangeSetName: ptr(cs.name), ChangeSetId: ptr(cs.id), StackId: ptr(cs.stack.id), StackName: ptr(cs.stack.name),
		Status: types.ChangeSetStatus(cs.status), StatusReason: optional(cs.reason), ExecutionStatus: types.ExecutionStatus(cs.execStatus),
		CreationTime: ptr(cs.created), Description: optional(cs.description), NotificationARNs: slices.Clone(cs.notifications),
		Tags: clone.Of(cs.tags), IncludeNestedStacks: ptr(false), Parameters: parameters(*cs.cfg, cs.values), Changes: []types.Change{},
	}
	for _, c := range cs.capabilities {
		out.Capabilities = append(out.Capabilities, types.Capability(c))
	}
	for _, c := range cs.changes {
		out.Changes = append(out.Changes, wireChange(c))
	}
	return out, nil
}

// wireChange is an engine change as DescribeChangeSet shows it.
func wireChange(c engine.Change) types.Change {
	rc := &types.ResourceChange{Action: types.ChangeAction(c.Action), LogicalResourceId: ptr(c.LogicalID),
		PhysicalResourceId: optional(c.PhysicalID), ResourceType: ptr(c.Type), Replacement: types.Replacement(c.Replacement)}
	for _, s := range c.Scope {
		rc.Scope = append(rc.Scope, types.ResourceAttribute(s))
	}
	for _, d := range c.Details {
		rc.Details = append(rc.Details, types.ResourceChangeDetail{
			Target: &types.ResourceTargetDefinition{Attribute: types.ResourceAttributeProperties, Name: ptr(d.Name),
				RequiresRecreation: types.RequiresRecreation(d.RequiresRecreation)},
			Evaluation: types.EvaluationType(d.Evaluation), ChangeSource: types.ChangeSource(d.ChangeSource)})
	}
	return types.Change{Type: types.ChangeTypeResource, ResourceChange: rc}
}

// ExecuteChangeSet deploys a change set in the background.
func (a *API) ExecuteChangeSet(ctx context.Context, in *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	cs, err := st.findChangeSet(deref(in.ChangeSetName), deref(in.StackName))
	if err != nil {
		return nil, err
	}
	if cs.execStatus != "AVAILABLE" {
		return nil, errChangeSetStatus("ChangeSet [" + cs.id + "] cannot be executed in its current execution status of [" + cs.execStatus + "]")
	}
	s := cs.stack
	if s.busy() {
		return nil, errChangeSetStatus("ChangeSet [" + cs.id + "] cannot be executed because stack [" + s.name + "] is in " + s.status + " state")
	}
	if cs.kind == "UPDATE" {
		if err := checkUpdatable(s); err != nil {
			return nil, err
		}
	} else if s.status != "REVIEW_IN_PROGRESS" {
		return nil, errChangeSetStatus("ChangeSet [" + cs.id + "] cannot be executed because stack [" + s.name + "] is in " + s.status + " state")
	}
	onFailure := ""
	if deref(in.DisableRollback) {
		onFailure = engine.OnFailureDoNothing
	}
	for _, o := range st.changeSets { // the others were worked out against the stack as it was
		if o.stack == s && o != cs {
			o.execStatus = "OBSOLETE"
			st.saveChangeSet(o)
		}
	}
	cs.execStatus = "EXECUTE_IN_PROGRESS"
	st.saveChangeSet(cs)
	s.executing = cs
	s.next = &settings{cfg: cs.cfg, values: cs.values, capabilities: cs.capabilities, tags: cs.tags, description: cs.cfg.Template.Description}
	s.notificationARNs, s.roleARN = cs.notifications, cs.roleARN
	if cs.kind == "CREATE" {
		s.adopt(s.next)
		s.status, s.disableRollback = "CREATE_IN_PROGRESS", onFailure != ""
		a.start(st, s, engine.Operation{Kind: engine.KindCreate, Next: cs.cfg, OnFailure: onFailure})
	} else {
		s.updated, s.status, s.reason = a.now(), "UPDATE_IN_PROGRESS", ""
		a.start(st, s, engine.Operation{Kind: engine.KindUpdate, Current: s.deployed(), Next: cs.cfg, OnFailure: onFailure})
	}
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

// DeleteChangeSet deletes a change set that is not being executed.
func (a *API) DeleteChangeSet(ctx context.Context, in *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	name, stackName := deref(in.ChangeSetName), deref(in.StackName)
	cs, err := st.findChangeSet(name, stackName)
	var missing *types.ChangeSetNotFoundException
	if errors.As(err, &missing) && !isARN(name) {
		// A change set named on a stack that has none of that name is
		// already gone: AWS answers 200, and the CDK CLI relies on it
		// before every deploy of an existing stack ("Removing existing
		// change set with name cdk-deploy-change-set if it exists").
		if _, err := st.findLive(stackName); err != nil {
			return nil, errValidation("Stack [%s] does not exist", stackName)
		}
		return &cloudformation.DeleteChangeSetOutput{}, nil
	}
	if err != nil {
		return nil, err
	}
	if cs.execStatus == "EXECUTE_IN_PROGRESS" {
		return nil, errChangeSetStatus("ChangeSet [" + cs.id + "] cannot be deleted in its current execution status of [EXECUTE_IN_PROGRESS]")
	}
	delete(st.changeSets, cs.id)
	st.saveChangeSet(cs)
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

// ListChangeSets lists a stack's change sets, oldest first.
func (a *API) ListChangeSets(ctx context.Context, in *cloudformation.ListChangeSetsInput) (*cloudformation.ListChangeSetsOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.unlock()
	s := st.find(deref(in.StackName))
	if s == nil {
		return nil, errNoStack(deref(in.StackName))
	}
	var all []types.ChangeSetSummary
	for _, cs := range st.changeSets {
		if cs.stack != s {
			continue
		}
		all = append(all, types.ChangeSetSummary{ChangeSetId: ptr(cs.id), ChangeSetName: ptr(cs.name), StackId: ptr(s.id), StackName: ptr(s.name),
			Status: types.ChangeSetStatus(cs.status), StatusReason: optional(cs.reason), ExecutionStatus: types.ExecutionStatus(cs.execStatus),
			CreationTime: ptr(cs.created), Description: optional(cs.description), IncludeNestedStacks: ptr(false)})
	}
	slices.SortFunc(all, func(x, y types.ChangeSetSummary) int { return x.CreationTime.Compare(*y.CreationTime) })
	pg, next, err := page(all, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.ListChangeSetsOutput{Summaries: pg, NextToken: next}, nil
}
