package cloudformation_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go/middleware"

	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/state"
)

// openState opens a state directory, closed when the test ends (closing
// twice is harmless).
func openState(t *testing.T, dir string) *state.DB {
	t.Helper()
	db, err := state.Open(dir, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// stateEnv is an env keeping its state in db.
func stateEnv(t *testing.T, db *state.DB, things *thing) *env {
	t.Helper()
	return newEnvOn(t, db.Bucket(cfnapi.Spec.Name), things)
}

// restart stops e as the emulator's shutdown does, closes db, opens dir
// again and returns a new env restored from it, over the same things.
func restart(t *testing.T, e *env, db *state.DB, dir string) (*env, *state.DB) {
	t.Helper()
	e.api.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openState(t, dir)
	e2 := stateEnv(t, db, e.things)
	if err := e2.api.Restore(); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return e2, db
}

// bare zeroes an SDK output's ResultMetadata (request IDs differ).
func bare[T any](t *testing.T, out *T, err error) any {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	reflect.ValueOf(out).Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
	return out
}

// dump is everything the API answers about the stacks (live or deleted,
// by ARN), their resources, events, templates, policies and change sets,
// and the exports.
func dump(t *testing.T, e *env) map[string]any {
	t.Helper()
	ctx := context.Background()
	c := e.cfn
	out := map[string]any{}
	list, err := c.ListStacks(ctx, &cloudformation.ListStacksInput{})
	out["ListStacks"] = bare(t, list, err)
	d, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{})
	out["DescribeStacks"] = bare(t, d, err)
	ex, err := c.ListExports(ctx, &cloudformation.ListExportsInput{})
	out["ListExports"] = bare(t, ex, err)
	for _, sum := range list.StackSummaries {
		id := sum.StackId
		k := func(op string) string { return op + " " + *id }
		d, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: id})
		out[k("DescribeStacks")] = bare(t, d, err)
		r, err := c.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: id})
		out[k("DescribeStackResources")] = bare(t, r, err)
		lr, err := c.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: id})
		out[k("ListStackResources")] = bare(t, lr, err)
		ev, err := c.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: id})
		out[k("DescribeStackEvents")] = bare(t, ev, err)
		tp, err := c.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: id})
		out[k("GetTemplate")] = bare(t, tp, err)
		cs, err := c.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: id})
		out[k("ListChangeSets")] = bare(t, cs, err)
		for _, s := range cs.Summaries {
			dc, err := c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: s.ChangeSetId})
			out["DescribeChangeSet "+*s.ChangeSetId] = bare(t, dc, err)
		}
		if sum.StackStatus != types.StackStatusDeleteComplete {
			p, err := c.GetStackPolicy(ctx, &cloudformation.GetStackPolicyInput{StackName: id})
			out[k("GetStackPolicy")] = bare(t, p, err)
		}
	}
	return out
}

// sameDump fails unless two dumps are equal, naming the entries that
// differ.
func sameDump(t *testing.T, before, after map[string]any) {
	t.Helper()
	for k, v := range before {
		if !reflect.DeepEqual(v, after[k]) {
			b, _ := json.MarshalIndent(v, "", " ")
			a, _ := json.MarshalIndent(after[k], "", " ")
			t.Errorf("%s differs after restore:\nbefore %s\nafter  %s", k, b, a)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s only after restore", k)
		}
	}
}

// numbersYAML has a number and a list parameter: after a restart the
// same template must still be "no updates".
const numbersYAML = `Parameters:
  Zones:
    Type: CommaDelimitedList
    Default: a,b
Resources:
  Counter:
    Type: Test::Thing
    Properties:
      Count: 3
      Ratio: 0.5
      Zones: !Ref Zones
      Nested: {Ports: [80, 443], Enabled: true}
Outputs:
  Counter:
    Value: !Ref Counter
`

func TestRestoreStacks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	c := e.cfn

	_, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("base"), TemplateBody: aws.String(baseYAML),
		Capabilities: allCaps, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
		Parameters:                  []types.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("prod")}},
		EnableTerminationProtection: aws.Bool(true), TimeoutInMinutes: aws.Int32(30), StackPolicyBody: aws.String(`{"Statement":[]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "base"); st != "CREATE_COMPLETE" {
		t.Fatalf("base: %s", st)
	}
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("consumer"), TemplateBody: aws.String(consumerYAML)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("numbers"), TemplateBody: aws.String(numbersYAML)}); err != nil {
		t.Fatal(err)
	}
	gone, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("gone"), TemplateBody: aws.String(consumerYAML)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"consumer", "numbers", "gone"} {
		if st := e.wait(t, n); st != "CREATE_COMPLETE" {
			t.Fatalf("%s: %s", n, st)
		}
	}
	if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, *gone.StackId); st != "DELETE_COMPLETE" {
		t.Fatalf("gone: %s", st)
	}
	// A change set ready to execute, one deleted, and a stack in review.
	for _, name := range []string{"next", "dropped"} {
		_, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("consumer"), ChangeSetName: aws.String(name),
			TemplateBody: aws.String(consumerYAML + "  Extra:\n    Type: Test::Thing\n"), Description: aws.String("one more")})
		if err != nil {
			t.Fatal(err)
		}
		settled(t, e, "consumer", name)
	}
	if _, err := c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String("consumer"), ChangeSetName: aws.String("dropped")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("review"), ChangeSetName: aws.String("first"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: aws.String(consumerYAML)}); err != nil {
		t.Fatal(err)
	}
	settled(t, e, "review", "first")

	before := dump(t, e)
	e, db = restart(t, e, db, dir)
	sameDump(t, before, dump(t, e))
	c = e.cfn

	// The restored stacks go on working: the import is still in use, the
	// same template changes nothing, the change sets execute.
	_, err = c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("numbers"), TemplateBody: aws.String(numbersYAML)})
	apiError(t, err, "ValidationError", "No updates are to be performed.")
	_, err = c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("base")})
	apiError(t, err, "ValidationError", "Stack [base] cannot be deleted while TerminationProtection is enabled")
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("consumer"), ChangeSetName: aws.String("next")}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "consumer"); st != "UPDATE_COMPLETE" {
		t.Fatalf("consumer: %s", st)
	}
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("review"), ChangeSetName: aws.String("first")}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "review"); st != "CREATE_COMPLETE" {
		t.Fatalf("review: %s", st)
	}
	_, err = c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("gone")})
	apiError(t, err, "ValidationError", "Stack with id gone does not exist")

	// What happened since is kept too, deletes included.
	if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("review")}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, e, "review")
	before = dump(t, e)
	e, _ = restart(t, e, db, dir)
	sameDump(t, before, dump(t, e))
	_, err = e.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("review")})
	apiError(t, err, "ValidationError", "Stack with id review does not exist")
}

// settled waits until a change set is worked out.
func settled(t *testing.T, e *env, stack, name string) {
	t.Helper()
	if err := waitChangeSet(context.Background(), e.cfn, stack, name); err != nil {
		t.Fatalf("change set %s: %v", name, err)
	}
}

// plainYAML is a stack of one resource.
const plainYAML = `Resources:
  One:
    Type: Test::Thing
`

// blockedYAML has a resource that is made at once and one that blocks
// once made.
const blockedYAML = `Resources:
  Quick:
    Type: Test::Thing
  Slow:
    Type: Test::Thing
    DependsOn: Quick
    Properties:
      Early: "true"
`

// waitResource waits until a stack's resource is in status.
func waitResource(t *testing.T, e *env, stack, id string, status types.ResourceStatus) {
	t.Helper()
	waitFor(t, e, stack, id, func(r types.StackResource) bool { return r.ResourceStatus == status })
}

// waitFor waits until a stack's resource is as ok wants it.
func waitFor(t *testing.T, e *env, stack, id string, ok func(types.StackResource) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := e.cfn.DescribeStackResources(context.Background(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.StackResources {
			if *r.LogicalResourceId == id && ok(r) {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s of %s never came", id, stack)
}

// stackStatus is a stack's status and reason.
func stackStatus(t *testing.T, e *env, name string) (types.StackStatus, string) {
	t.Helper()
	out, err := e.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Stacks[0].StackStatus, aws.ToString(out.Stacks[0].StackStatusReason)
}

func TestRestoreInterruptedCreate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	for _, in := range []*cloudformation.CreateStackInput{
		{StackName: aws.String("rolls"), TemplateBody: aws.String(blockedYAML)},
		{StackName: aws.String("stays"), TemplateBody: aws.String(blockedYAML), DisableRollback: aws.Bool(true)},
	} {
		if _, err := e.cfn.CreateStack(ctx, in); err != nil {
			t.Fatal(err)
		}
		waitFor(t, e, *in.StackName, "Slow", func(r types.StackResource) bool {
			return r.ResourceStatus == types.ResourceStatusCreateInProgress && r.PhysicalResourceId != nil
		})
	}
	e, _ = restart(t, e, db, dir)

	// The waiter ends (in failure) instead of waiting forever.
	for _, name := range []string{"rolls", "stays"} {
		w := cloudformation.NewStackCreateCompleteWaiter(e.cfn, fastCreate)
		err := w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)}, 5*time.Second)
		if err == nil || !strings.Contains(err.Error(), "Failure") {
			t.Fatalf("%s waiter: %v", name, err)
		}
	}
	for name, want := range map[string]struct {
		status    types.StackStatus
		resources map[string]types.ResourceStatus
		reason    types.ResourceStatus // the stack event saying why
	}{
		"rolls": {types.StackStatusRollbackComplete, map[string]types.ResourceStatus{}, types.ResourceStatusRollbackInProgress},
		"stays": {types.StackStatusCreateFailed, map[string]types.ResourceStatus{"Quick": "CREATE_COMPLETE", "Slow": "CREATE_FAILED"}, types.ResourceStatusCreateFailed},
	} {
		if st, _ := stackStatus(t, e, name); st != want.status {
			t.Errorf("%s: %s", name, st)
		}
		res, err := e.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]types.ResourceStatus{}
		for _, r := range res.StackResources {
			got[*r.LogicalResourceId] = r.ResourceStatus
		}
		if !reflect.DeepEqual(got, want.resources) {
			t.Errorf("%s resources: %v", name, got)
		}
		ev, err := e.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		said := map[string]bool{}
		for _, x := range ev.StackEvents {
			if strings.Contains(aws.ToString(x.ResourceStatusReason), "restarted") {
				said[*x.LogicalResourceId+" "+string(x.ResourceStatus)] = true
			}
		}
		if !said["Slow CREATE_FAILED"] || !said[name+" "+string(want.reason)] {
			t.Errorf("%s: events %v", name, said)
		}
		// GetTemplate still answers the template that was being created.
		tp, err := e.cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(name)})
		if err != nil || aws.ToString(tp.TemplateBody) != blockedYAML {
			t.Errorf("%s template: %v %q", name, err, aws.ToString(tp.TemplateBody))
		}
	}
	// The rollback deleted what "rolls" made, Slow too, which was made
	// but not ready; deleting "stays" deletes the rest.
	if n := e.things.count(); n != 2 {
		t.Fatalf("%d things before delete", n)
	}
	for _, name := range []string{"rolls", "stays"} {
		if _, err := e.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"rolls", "stays"} {
		waitGone(t, e, name)
	}
	if n := e.things.count(); n != 0 {
		t.Errorf("%d things left", n)
	}
}

func TestRestoreInterruptedDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	const tmpl = "Resources:\n  Quick:\n    Type: Test::Thing\n  Sticky:\n    Type: Test::Thing\n    Properties:\n      BlockDelete: \"true\"\n"
	out, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("del"), TemplateBody: aws.String(tmpl)})
	if err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "del"); st != "CREATE_COMPLETE" {
		t.Fatalf("del: %s", st)
	}
	if _, err := e.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("del")}); err != nil {
		t.Fatal(err)
	}
	waitResource(t, e, "del", "Sticky", types.ResourceStatusDeleteInProgress)
	e, _ = restart(t, e, db, dir)

	// The delete goes on after the restart.
	if st, _ := stackStatus(t, e, *out.StackId); st != types.StackStatusDeleteInProgress {
		t.Fatalf("after restart: %s", st)
	}
	close(e.things.gate)
	w := cloudformation.NewStackDeleteCompleteWaiter(e.cfn, func(o *cloudformation.StackDeleteCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: out.StackId}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := e.things.count(); n != 0 {
		t.Errorf("%d things left", n)
	}
}

// waitGone waits until a stack is deleted.
func waitGone(t *testing.T, e *env, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, err := e.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("stack %s never deleted", name)
}

func TestRestoreInterruptedUpdate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	c := e.cfn
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("upd"), TemplateBody: aws.String(plainYAML)}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "upd")
	// An update through a change set, blocked on its new resource.
	if _, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cs"),
		TemplateBody: aws.String(plainYAML + "  Slow:\n    Type: Test::Thing\n    Properties:\n      Block: \"true\"\n")}); err != nil {
		t.Fatal(err)
	}
	settled(t, e, "upd", "cs")
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cs")}); err != nil {
		t.Fatal(err)
	}
	waitResource(t, e, "upd", "Slow", types.ResourceStatusCreateInProgress)
	e, _ = restart(t, e, db, dir)
	c = e.cfn

	st, reason := stackStatus(t, e, "upd")
	if st != types.StackStatusUpdateRollbackFailed || !strings.Contains(reason, "restarted") {
		t.Fatalf("upd: %s %q", st, reason)
	}
	cs, err := c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cs")})
	if err != nil || cs.ExecutionStatus != types.ExecutionStatusExecuteFailed {
		t.Fatalf("change set: %v %v", err, cs)
	}
	if _, err := c.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("upd")}); err != nil {
		t.Fatal(err)
	}
	if st, _ := stackStatus(t, e, "upd"); st != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("after ContinueUpdateRollback: %s", st)
	}
	// From there the stack updates again.
	if _, err := c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"),
		TemplateBody: aws.String(plainYAML + "  Two:\n    Type: Test::Thing\n")}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "upd"); st != "UPDATE_COMPLETE" {
		t.Fatalf("update after restart: %s", st)
	}
	res, err := c.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("upd")})
	if err != nil || len(res.StackResourceSummaries) != 2 {
		t.Fatalf("resources: %v %+v", err, res)
	}
}

// crash is restart after a kill -9: the old API goes on, but nothing it
// does reaches the state directory.
func crash(t *testing.T, e *env, db *state.DB, dir string) (*env, *state.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openState(t, dir)
	e2 := stateEnv(t, db, e.things)
	if err := e2.api.Restore(); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return e2, db
}

// A DeleteStack that came during a create is carried out after the create
// ends.
func TestRestoreDeleteDuringCreate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	const tmpl = "Resources:\n  Quick:\n    Type: Test::Thing\n  Slow:\n    Type: Test::Thing\n    DependsOn: Quick\n    Properties:\n      Hold: \"true\"\n"
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("del"), TemplateBody: aws.String(tmpl)}); err != nil {
		t.Fatal(err)
	}
	waitResource(t, e, "del", "Slow", types.ResourceStatusCreateInProgress)
	if _, err := e.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("del")}); err != nil {
		t.Fatal(err)
	}
	old := e
	defer close(old.things.gate) // lets the old API's create end
	e, _ = crash(t, e, db, dir)
	waitGone(t, e, "del")
	if n := e.things.count(); n != 0 {
		t.Errorf("%d things left", n)
	}
}

func TestRestoreResetAndDamage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("a"), TemplateBody: aws.String(plainYAML)}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "a")
	e.api.Reset()
	e, db = restart(t, e, db, dir)
	out, err := e.cfn.ListStacks(ctx, &cloudformation.ListStacksInput{})
	if err != nil || len(out.StackSummaries) != 0 {
		t.Fatalf("after reset: %v %+v", err, out)
	}

	b := db.Bucket(cfnapi.Spec.Name).Batch()
	b.PutRaw(account+"/"+region+"/stack/arn:aws:cloudformation:us-east-1:000000000000:stack/x/1", []byte("{not json"))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	api := cfnapi.New(cfnapi.Options{State: db.Bucket(cfnapi.Spec.Name)})
	defer api.Close()
	if err := api.Restore(); err == nil {
		t.Fatal("Restore of a damaged record succeeded")
	}
}

func TestNoStateDir(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("a"), TemplateBody: aws.String(plainYAML)}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "a")
	before := dump(t, e)
	if err := e.api.Restore(); err != nil {
		t.Fatal(err)
	}
	sameDump(t, before, dump(t, e))
}
