package servicediscovery_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// TestOperationLifecycle drives the injected clock through an operation's
// statuses: SUBMITTED for 100 ms, PENDING until 300 ms, then SUCCESS, while
// the namespace exists from the start.
func TestOperationLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	start := e.Clock.Now()
	opID := must(e.C.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("api")}))(t).OperationId

	op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID}))(t).Operation
	nsID := op.Targets["NAMESPACE"]
	// The namespace is visible before the operation completes.
	must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(nsID)}))(t)
	if aws.ToString(op.Id) != *opID || op.Type != types.OperationTypeCreateNamespace || aws.ToString(op.OwnerAccount) != account ||
		len(op.Targets) != 1 || op.ErrorCode != nil || op.ErrorMessage != nil {
		t.Errorf("operation = %+v", op)
	}

	steps := []struct {
		at          time.Duration
		wantStatus  types.OperationStatus
		wantUpdated time.Duration
	}{
		{0, types.OperationStatusSubmitted, 0},
		{99 * time.Millisecond, types.OperationStatusSubmitted, 0},
		{100 * time.Millisecond, types.OperationStatusPending, 100 * time.Millisecond},
		{299 * time.Millisecond, types.OperationStatusPending, 100 * time.Millisecond},
		{300 * time.Millisecond, types.OperationStatusSuccess, 300 * time.Millisecond},
		{time.Hour, types.OperationStatusSuccess, 300 * time.Millisecond},
	}
	for _, st := range steps {
		t.Run(st.at.String(), func(t *testing.T) {
			e.Clock.Advance(start.Add(st.at).Sub(e.Clock.Now()))
			op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID}))(t).Operation
			if op.Status != st.wantStatus {
				t.Errorf("status = %s, want %s", op.Status, st.wantStatus)
			}
			if !aws.ToTime(op.CreateDate).Equal(start) || !aws.ToTime(op.UpdateDate).Equal(start.Add(st.wantUpdated)) {
				t.Errorf("CreateDate, UpdateDate = %v, %v; want %v, %v", aws.ToTime(op.CreateDate), aws.ToTime(op.UpdateDate), start, start.Add(st.wantUpdated))
			}
			list := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{}))(t)
			if len(list.Operations) != 1 || list.Operations[0].Status != st.wantStatus {
				t.Errorf("ListOperations = %+v", list.Operations)
			}
		})
	}

	runErrCases(t, []errCase{
		{"unknown operation", call(e.C.GetOperation, &sd.GetOperationInput{OperationId: aws.String("nope")}), "OperationNotFound", s404},
		{"another owner", call(e.C.GetOperation, &sd.GetOperationInput{OperationId: opID, OwnerAccount: aws.String("111122223333")}), "OperationNotFound", s404},
		{"owner of 5 characters", call(e.C.GetOperation, &sd.GetOperationInput{OperationId: opID, OwnerAccount: aws.String("12345")}), "InvalidInput", s400},
		{"no ID", call(e.unvalidated().GetOperation, &sd.GetOperationInput{}), "InvalidInput", s400},
		{"operation of another region", call(e.client("eu-west-1").GetOperation, &sd.GetOperationInput{OperationId: opID}), "OperationNotFound", s404},
	})
	must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID, OwnerAccount: aws.String(account)}))(t)

	t.Run("forgotten after a day", func(t *testing.T) {
		e.Clock.Advance(25 * time.Hour)
		e.httpNamespace(t, "later") // recording an operation prunes old ones
		_, err := e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID})
		wantCode(t, err, "OperationNotFound", s404)
	})
}

func TestListOperations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	t0 := e.Clock.Now()
	ns := e.privateNamespace(t, "internal.local", "vpc-1") // CREATE_NAMESPACE at t0
	h := e.httpNamespace(t, "api")                         // CREATE_NAMESPACE at t0
	svc := e.dnsService(t, *ns.Id, "web", "", "A")
	e.Clock.Advance(time.Second)
	e.register(t, *svc.Id, "i-1", ip(1)) // t0+1s
	must(e.C.UpdateService(ctx, &sd.UpdateServiceInput{Id: svc.Id, Service: &types.ServiceChange{Description: aws.String("x")}}))(t)
	e.Clock.Advance(time.Second)
	must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("i-1")}))(t) // t0+2s, SUBMITTED
	must(e.C.UpdateHttpNamespace(ctx, &sd.UpdateHttpNamespaceInput{Id: h.Id, Namespace: &types.HttpNamespaceChange{Description: aws.String("d")}}))(t)

	typesOf := func(filters ...types.OperationFilter) string {
		t.Helper()
		out := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{Filters: filters}))(t)
		var got []string
		for _, o := range out.Operations {
			op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: o.Id}))(t).Operation
			if op.Status != o.Status {
				t.Errorf("summary status %s, operation %s", o.Status, op.Status)
			}
			got = append(got, string(op.Type))
		}
		return strings.Join(got, ",")
	}
	f := func(name types.OperationFilterName, cond types.FilterCondition, values ...string) types.OperationFilter {
		return types.OperationFilter{Name: name, Condition: cond, Values: values}
	}
	epoch := func(d time.Duration) string { return fmt.Sprintf("%.3f", float64(t0.Add(d).UnixMilli())/1000) }
	tests := []struct {
		name    string
		filters []types.OperationFilter
		want    string
	}{
		{"all, in submission order", nil, "CREATE_NAMESPACE,CREATE_NAMESPACE,REGISTER_INSTANCE,UPDATE_SERVICE,DEREGISTER_INSTANCE,UPDATE_NAMESPACE"},
		{"NAMESPACE_ID", []types.OperationFilter{f("NAMESPACE_ID", "EQ", *ns.Id)}, "CREATE_NAMESPACE,REGISTER_INSTANCE,UPDATE_SERVICE,DEREGISTER_INSTANCE"},
		{"NAMESPACE_ID as ARN", []types.OperationFilter{f("NAMESPACE_ID", "", *h.Arn)}, "CREATE_NAMESPACE,UPDATE_NAMESPACE"},
		{"SERVICE_ID", []types.OperationFilter{f("SERVICE_ID", "EQ", *svc.Id)}, "REGISTER_INSTANCE,UPDATE_SERVICE,DEREGISTER_INSTANCE"},
		{"STATUS", []types.OperationFilter{f("STATUS", "EQ", "SUBMITTED")}, "DEREGISTER_INSTANCE,UPDATE_NAMESPACE"},
		{"STATUS IN", []types.OperationFilter{f("STATUS", "IN", "SUCCESS", "PENDING")}, "CREATE_NAMESPACE,CREATE_NAMESPACE,REGISTER_INSTANCE,UPDATE_SERVICE"},
		{"STATUS SUCCEED, the reference's spelling", []types.OperationFilter{f("STATUS", "EQ", "SUCCEED")}, "CREATE_NAMESPACE,CREATE_NAMESPACE,REGISTER_INSTANCE,UPDATE_SERVICE"},
		{"TYPE", []types.OperationFilter{f("TYPE", "EQ", "UPDATE_SERVICE")}, "UPDATE_SERVICE"},
		{"TYPE IN", []types.OperationFilter{f("TYPE", "IN", "REGISTER_INSTANCE", "DEREGISTER_INSTANCE")}, "REGISTER_INSTANCE,DEREGISTER_INSTANCE"},
		// Completed operations changed status 300 ms after submission.
		{"UPDATE_DATE", []types.OperationFilter{f("UPDATE_DATE", "BETWEEN", epoch(time.Second), epoch(1500*time.Millisecond))}, "REGISTER_INSTANCE,UPDATE_SERVICE"},
		{"UPDATE_DATE RFC 3339", []types.OperationFilter{f("UPDATE_DATE", "BETWEEN", t0.Add(2*time.Second).Format(time.RFC3339), t0.Add(time.Hour).Format(time.RFC3339))}, "DEREGISTER_INSTANCE,UPDATE_NAMESPACE"},
		{"two filters", []types.OperationFilter{f("SERVICE_ID", "EQ", *svc.Id), f("STATUS", "EQ", "SUCCESS")}, "REGISTER_INSTANCE,UPDATE_SERVICE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := typesOf(tc.filters...); got != tc.want {
				t.Errorf("operations = %s, want %s", got, tc.want)
			}
		})
	}

	t.Run("paginator", func(t *testing.T) {
		var ids []string
		p := sd.NewListOperationsPaginator(e.C, &sd.ListOperationsInput{MaxResults: aws.Int32(4)})
		for p.HasMorePages() {
			for _, o := range must(p.NextPage(ctx))(t).Operations {
				ids = append(ids, aws.ToString(o.Id))
			}
		}
		if len(ids) != 6 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 6 {
			t.Errorf("paginated IDs = %v", ids)
		}
	})

	runErrCases(t, []errCase{
		{"NAMESPACE_ID IN", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("NAMESPACE_ID", "IN", "a", "b")}}), "InvalidInput", s400},
		{"SERVICE_ID with two values", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("SERVICE_ID", "EQ", "a", "b")}}), "InvalidInput", s400},
		{"STATUS BETWEEN", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("STATUS", "BETWEEN", "SUCCESS", "FAIL")}}), "InvalidInput", s400},
		{"STATUS EQ with two values", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("STATUS", "EQ", "SUCCESS", "FAIL")}}), "InvalidInput", s400},
		{"unknown status", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("STATUS", "EQ", "DONE")}}), "InvalidInput", s400},
		{"unknown type", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("TYPE", "IN", "CREATE_SERVICE")}}), "InvalidInput", s400},
		{"UPDATE_DATE with one value", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("UPDATE_DATE", "BETWEEN", "1")}}), "InvalidInput", s400},
		{"UPDATE_DATE EQ", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("UPDATE_DATE", "EQ", "1")}}), "InvalidInput", s400},
		{"UPDATE_DATE not a date", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("UPDATE_DATE", "BETWEEN", "yesterday", "today")}}), "InvalidInput", s400},
		{"UPDATE_DATE end first", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("UPDATE_DATE", "BETWEEN", "2000", "1000")}}), "InvalidInput", s400},
		{"unknown filter", call(e.C.ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("OWNER", "EQ", "me")}}), "InvalidInput", s400},
		{"no values", call(e.unvalidated().ListOperations, &sd.ListOperationsInput{Filters: []types.OperationFilter{f("TYPE", "EQ")}}), "InvalidInput", s400},
		{"MaxResults 101", call(e.C.ListOperations, &sd.ListOperationsInput{MaxResults: aws.Int32(101)}), "InvalidInput", s400},
	})
}
