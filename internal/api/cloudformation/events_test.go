package cloudformation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// The CDK CLI sorts the events it prints by timestamp, which the wire
// carries to the millisecond; a fast engine emits many events within one
// millisecond. Every event must therefore carry a later millisecond than
// the one before it, across every page, or the CLI prints a resource's
// CREATE_COMPLETE before its CREATE_IN_PROGRESS.
func TestStackEventTimestampsFollowTheirOrder(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	var res []string
	for i := range 30 { // independent things, created at once: many events in one millisecond
		res = append(res, fmt.Sprintf(`"T%02d": {"Type": "Test::Thing"}`, i))
	}
	res = append(res, `"Bad": {"Type": "Test::Thing", "DependsOn": "T00", "Properties": {"Fail": "create"}}`)
	body := `{"Resources": {` + strings.Join(res, ", ") + `}}`
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("many"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "many"); st != "ROLLBACK_COMPLETE" {
		t.Fatalf("status %s", st)
	}
	var evs []types.StackEvent
	pages := cloudformation.NewDescribeStackEventsPaginator(e.cfn, &cloudformation.DescribeStackEventsInput{StackName: aws.String("many")})
	for pages.HasMorePages() {
		pg, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, pg.StackEvents...)
	}
	// 1 + 30×3 + a bad thing's 2 + rollback 1 + 30×2 deletes + 1, at least.
	if len(evs) < 150 {
		t.Fatalf("only %d events", len(evs))
	}
	for i := 1; i < len(evs); i++ { // newest first
		newer, older := aws.ToTime(evs[i-1].Timestamp), aws.ToTime(evs[i].Timestamp)
		if !newer.After(older) {
			t.Fatalf("event %d (%s %s at %s) is not later than event %d (%s %s at %s)", i-1,
				aws.ToString(evs[i-1].LogicalResourceId), evs[i-1].ResourceStatus, newer.Format(time.RFC3339Nano), i,
				aws.ToString(evs[i].LogicalResourceId), evs[i].ResourceStatus, older.Format(time.RFC3339Nano))
		}
	}
	if got := evs[len(evs)-1].ResourceStatus; got != "CREATE_IN_PROGRESS" {
		t.Errorf("oldest event %s, want the stack's CREATE_IN_PROGRESS", got)
	}
	if got := evs[0].ResourceStatus; got != "ROLLBACK_COMPLETE" {
		t.Errorf("newest event %s, want ROLLBACK_COMPLETE", got)
	}
}

// Paging back through a stack's events while an operation adds more
// neither repeats an event nor loses an older one (the CDK CLI stops at
// the first event it has seen).
func TestStackEventPagesStayPutWhileEventsArrive(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	var res []string
	for i := range 40 {
		res = append(res, fmt.Sprintf(`"T%02d": {"Type": "Test::Thing"}`, i))
	}
	body := `{"Resources": {` + strings.Join(res, ", ") + `}}`
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("paged"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "paged"); st != "CREATE_COMPLETE" {
		t.Fatalf("status %s", st)
	}
	first, err := e.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("paged")})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v, %d events, no token", err, len(first.StackEvents))
	}
	all := 2 + 40*3 // the stack's two events and each thing's three
	body = strings.Replace(body, `"T00": {"Type": "Test::Thing"}`, `"T00": {"Type": "Test::Thing", "Properties": {"Name": "renamed"}}`, 1)
	if _, err := e.cfn.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("paged"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "paged"); st != "UPDATE_COMPLETE" {
		t.Fatalf("status %s", st)
	}
	seen := map[string]bool{}
	for _, ev := range first.StackEvents {
		seen[aws.ToString(ev.EventId)] = true
	}
	for token := first.NextToken; token != nil; {
		pg, err := e.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("paged"), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range pg.StackEvents {
			if id := aws.ToString(ev.EventId); seen[id] {
				t.Fatalf("event %s %s repeated on a later page", aws.ToString(ev.LogicalResourceId), ev.ResourceStatus)
			} else {
				seen[id] = true
			}
		}
		token = pg.NextToken
	}
	if len(seen) != all {
		t.Errorf("paged through %d events, want the %d there were at the first page", len(seen), all)
	}
}
