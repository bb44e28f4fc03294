package logs_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

// TestInProcess: what the log driver and CloudFormation call, seen
// through the wire API.
func TestInProcess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	if err := e.API.CreateGroup(region, "/ecs/web", 7, map[string]string{"stack": "s"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.CreateGroup(region, "/ecs/web", 0, nil), "ResourceAlreadyExistsException")
	wantCode(t, e.API.CreateGroup(region, "bad name", 0, nil), "InvalidParameterException")
	wantCode(t, e.API.CreateGroup(region, "other", 2, nil), "InvalidParameterException")
	if !e.API.GroupExists(region, "/ecs/web") || e.API.GroupExists("eu-west-1", "/ecs/web") {
		t.Error("GroupExists is wrong")
	}
	g := must(e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t).LogGroups[0]
	if aws.ToInt32(g.RetentionInDays) != 7 {
		t.Errorf("retention = %v", g.RetentionInDays)
	}
	wantCode(t, e.API.EnsureStream(region, "none", "s"), "ResourceNotFoundException")
	wantCode(t, e.API.Append(region, "/ecs/web", "web/web/1", []logsapi.Event{{Message: "x"}}), "ResourceNotFoundException")
	for range 2 { // idempotent
		if err := e.API.EnsureStream(region, "/ecs/web", "web/web/1"); err != nil {
			t.Fatal(err)
		}
	}
	now := e.Clock.Now()
	err := e.API.Append(region, "/ecs/web", "web/web/1", []logsapi.Event{
		{Timestamp: now.Add(time.Second), Message: "second"}, {Timestamp: now, Message: "first"}, {Message: ""}, {Message: "now"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(getAll(t, e, "/ecs/web", "web/web/1")); !equal(got, []string{"first", "now", "second"}) {
		t.Errorf("appended = %q", got)
	}
	if err := e.API.DeleteGroup(region, "/ecs/web"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.DeleteGroup(region, "/ecs/web"), "ResourceNotFoundException")
}

// TestConcurrentAppend: many writers and readers at once (run with -race).
func TestConcurrentAppend(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{MaxEventsPerStream: 500})
	e.direct.Store(true)
	if err := e.API.CreateGroup(region, "g", 0, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		stream := fmt.Sprintf("s%d", w%2)
		if err := e.API.EnsureStream(region, "g", stream); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for i := range 200 {
				if err := e.API.Append(region, "g", stream, []logsapi.Event{{Message: fmt.Sprintf("w%d %d", w, i)}}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := e.C.FilterLogEvents(t.Context(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("w1")}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	for _, s := range []string{"s0", "s1"} {
		if n := len(getAll(t, e, "g", s)); n != 500 {
			t.Errorf("%s keeps %d events, want the bound 500", s, n)
		}
	}
}
