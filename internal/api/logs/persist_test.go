package logs_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

type snapshot struct {
	Groups   []types.LogGroup
	Streams  map[string][]types.LogStream
	Events   map[string][]types.OutputLogEvent
	Filtered []types.FilteredLogEvent
	Tags     map[string]string
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := t.Context()
	snap := snapshot{Streams: map[string][]types.LogStream{}, Events: map[string][]types.OutputLogEvent{},
		Groups: must(e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t).LogGroups}
	for _, g := range snap.Groups {
		streams := must(e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: g.LogGroupName}))(t).LogStreams
		snap.Streams[*g.LogGroupName] = streams
		for _, st := range streams {
			snap.Events[*g.LogGroupName+":"+*st.LogStreamName] = getAll(t, e, *g.LogGroupName, *st.LogStreamName)
		}
	}
	snap.Filtered = must(e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/app/web")}))(t).Events
	snap.Tags = must(e.C.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{
		ResourceArn: aws.String(logsapi.GroupARN(region, account, "/app/web"))}))(t).Tags
	return snap
}

func (e *env) putEvents(t *testing.T, group, stream string, at time.Time, msgs ...string) {
	t.Helper()
	var events []types.InputLogEvent
	for i, m := range msgs {
		events = append(events, types.InputLogEvent{Timestamp: aws.Int64(at.Add(time.Duration(i) * time.Millisecond).UnixMilli()), Message: aws.String(m)})
	}
	must(e.C.PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: &group, LogStreamName: &stream, LogEvents: events}))(t)
}

// TestRestoreAfterRestart fills groups and streams with uploads (in and out
// of order, over a stream's bound so that old uploads are trimmed),
// deletes a stream and a group, restarts on the same state directory and
// compares what Describe, Get and Filter show.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	opts := logsapi.Options{MaxEventsPerStream: 5}
	e := newEnvAt(t, opts, dir, false)
	must(e.C.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web"), Tags: map[string]string{"team": "a"},
		KmsKeyId: aws.String("arn:aws:kms:us-east-1:" + account + ":key/k")}))(t)
	must(e.C.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(7)}))(t)
	must(e.C.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(logsapi.GroupARN(region, account, "/app/web")), Tags: map[string]string{"gone": "x"}}))(t)
	must(e.C.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(logsapi.GroupARN(region, account, "/app/web")), TagKeys: []string{"gone"}}))(t)
	for _, st := range []string{"web/1", "web/2", "gone"} {
		must(e.C.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String(st)}))(t)
	}
	e.putEvents(t, "/app/web", "web/1", t0, "a1", "a2", "a3")
	e.putEvents(t, "/app/web", "web/1", t0.Add(-time.Minute), "early")         // before the stream's others
	e.putEvents(t, "/app/web", "web/1", t0.Add(time.Second), "b1", "b2", "b3") // over the bound of 5: the oldest go
	e.putEvents(t, "/app/web", "web/2", t0, "c1")
	e.putEvents(t, "/app/web", "gone", t0, "x")
	must(e.C.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String("gone")}))(t)
	if err := e.API.CreateGroup(region, "/ecs/task", 0, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.API.EnsureStream(region, "/ecs/task", "c/1"); err != nil {
		t.Fatal(err)
	}
	if err := e.API.Append(region, "/ecs/task", "c/1", []logsapi.Event{{Message: "hello"}, {Message: "world"}}); err != nil {
		t.Fatal(err)
	}
	must(e.C.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/gone")}))(t)
	must(e.C.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/gone"), LogStreamName: aws.String("s")}))(t)
	e.putEvents(t, "/gone", "s", t0, "y")
	must(e.C.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/gone")}))(t)

	before := e.snapshot(t)
	if n := len(before.Events["/app/web:web/1"]); n != 5 {
		t.Fatalf("web/1 keeps %d events, want its bound 5", n)
	}
	e.closeState(t)
	e = newEnvAt(t, opts, dir, true)
	if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	// Sequence numbers go on: no event ID comes back.
	e.putEvents(t, "/app/web", "web/2", t0, "c2")
	ids := map[string]bool{}
	for _, ev := range must(e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/app/web")}))(t).Events {
		if ids[*ev.EventId] {
			t.Fatalf("event ID %s twice", *ev.EventId)
		}
		ids[*ev.EventId] = true
	}
	if len(ids) != len(before.Filtered)+1 {
		t.Fatalf("%d events after restart and one more, want %d", len(ids), len(before.Filtered)+1)
	}
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, logsapi.Options{}, dir, false)
	must(e.C.CreateLogGroup(t.Context(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g")}))(t)
	e.API.Reset()
	if recs, err := statetest.Records(e.DB.Bucket(logsapi.Spec.Name)); err != nil || len(recs) != 0 {
		t.Fatalf("records after reset: %v, %v", recs, err)
	}
	e.closeState(t)
	e = newEnvAt(t, logsapi.Options{}, dir, true)
	if gs := must(e.C.DescribeLogGroups(t.Context(), &cloudwatchlogs.DescribeLogGroupsInput{}))(t).LogGroups; len(gs) != 0 {
		t.Fatalf("groups after reset and restart = %+v", gs)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	for _, rec := range [][2]string{
		{"group/g", `{"Name": 1}`},
		{"events/g:s:1", `{"Ingest":1,"Events":[{"T":1,"S":1,"M":"x"}]}`}, // its stream and group are missing
	} {
		db := statetest.Open(t, t.TempDir())
		b := db.Bucket(logsapi.Spec.Name).Batch()
		b.PutRaw(fmt.Sprintf("%s/%s/%s", account, region, rec[0]), []byte(rec[1]))
		if err := b.Commit().Wait(); err != nil {
			t.Fatal(err)
		}
		if err := logsapi.New(logsapi.Options{State: db.Bucket(logsapi.Spec.Name)}).Restore(); err == nil {
			t.Errorf("Restore of %s succeeded", rec[0])
		}
		db.Close()
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := logsapi.New(logsapi.Options{Account: account})
	if err := a.CreateGroup(region, "g", 0, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if !a.GroupExists(region, "g") {
		t.Fatal("Restore without a state directory dropped a group")
	}
}
