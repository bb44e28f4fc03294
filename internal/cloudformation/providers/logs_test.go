package providers

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

func TestLogGroupLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.apis.Logs.StoreFor(testAccount, testRegion)
	describe := func(name string) *cloudwatchlogs.DescribeLogGroupsOutput {
		in := &cloudwatchlogs.DescribeLogGroupsInput{}
		if name != "" {
			in.LogGroupNamePrefix = &name
		}
		out, err := s.DescribeLogGroups(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	req, res := e.create(t, "AWS::Logs::LogGroup", "ApiTaskDefapiLogGroup9FDF1262", map[string]any{"RetentionInDays": "7"})
	name := res.PhysicalID
	if !strings.HasPrefix(name, "TutorialStack-ApiTaskDefapiLogGroup9FDF1262-") ||
		res.Attributes["Arn"] != "arn:aws:logs:us-east-1:000000000000:log-group:"+name+":*" {
		t.Errorf("log group = %+v", res)
	}
	if g := describe(name).LogGroups; len(g) != 1 || deref(g[0].RetentionInDays) != 7 {
		t.Fatalf("described = %+v", g)
	}
	tags, _ := s.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: ptr(strings.TrimSuffix(res.Attributes["Arn"].(string), ":*"))})
	if !reflect.DeepEqual(tags.Tags, map[string]string{"team": "blue"}) {
		t.Errorf("tags = %v", tags.Tags)
	}

	e.update(t, req, map[string]any{"Tags": []any{map[string]any{"Key": "k", "Value": "v"}}})
	if g := describe(name).LogGroups; g[0].RetentionInDays != nil {
		t.Errorf("retention after dropping RetentionInDays = %d", deref(g[0].RetentionInDays))
	}
	tags, _ = s.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: ptr(strings.TrimSuffix(res.Attributes["Arn"].(string), ":*"))})
	if !reflect.DeepEqual(tags.Tags, map[string]string{"k": "v", "team": "blue"}) {
		t.Errorf("tags after update = %v", tags.Tags)
	}
	if !e.reg["AWS::Logs::LogGroup"].Replaces(map[string]any{}, map[string]any{"LogGroupName": "x"}) ||
		e.reg["AWS::Logs::LogGroup"].Replaces(map[string]any{}, map[string]any{"RetentionInDays": 1}) {
		t.Error("Replaces: a name replaces, a retention does not")
	}
	e.deleteTwice(t, req)
	if len(describe(name).LogGroups) != 0 {
		t.Error("log group left after delete")
	}

	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"RetentionInDays": 2}, "InvalidParameterException"},
		{map[string]any{"DataProtectionPolicy": map[string]any{}}, "Encountered unsupported property DataProtectionPolicy"},
		{map[string]any{"LogGroupName": "bad name!"}, "InvalidParameterException"},
	} {
		_, err := e.reg["AWS::Logs::LogGroup"].Create(testCtx(t), request("AWS::Logs::LogGroup", "G", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
	if g := describe("").LogGroups; len(g) != 0 {
		t.Errorf("a failed create left %+v", g)
	}
}

func TestLogStream(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, g := e.create(t, "AWS::Logs::LogGroup", "G", map[string]any{"LogGroupName": "/app"})
	req, res := e.create(t, "AWS::Logs::LogStream", "Stream", map[string]any{"LogGroupName": g.PhysicalID})
	if !strings.HasPrefix(res.PhysicalID, "TutorialStack-Stream-") {
		t.Errorf("stream name %q", res.PhysicalID)
	}
	s := e.apis.Logs.StoreFor(testAccount, testRegion)
	out, err := s.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: ptr("/app")})
	if err != nil || len(out.LogStreams) != 1 || deref(out.LogStreams[0].LogStreamName) != res.PhysicalID {
		t.Fatalf("streams = %+v, %v", out, err)
	}
	if !e.reg["AWS::Logs::LogStream"].Replaces(req.Properties, map[string]any{"LogGroupName": "/other"}) {
		t.Error("a new group does not replace the stream")
	}
	e.deleteTwice(t, req)
	if out, _ = s.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: ptr("/app")}); len(out.LogStreams) != 0 {
		t.Errorf("streams after delete = %+v", out.LogStreams)
	}
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"LogStreamName": "s"}, "required key [LogGroupName] not found"},
		{map[string]any{"LogGroupName": "/missing"}, "The specified log group does not exist."},
	} {
		_, err := e.reg["AWS::Logs::LogStream"].Create(testCtx(t), request("AWS::Logs::LogStream", "S", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
}

// TestLogGroupUpdateFromUnreadableProperties: previous properties that no
// longer decode (an older emulator's, say) are treated as empty, not as
// this update's error.
func TestLogGroupUpdateFromUnreadableProperties(t *testing.T) {
	e := newEnv(t)
	req, res := e.create(t, "AWS::Logs::LogGroup", "G", map[string]any{"LogGroupName": "/g"})
	req.Properties = map[string]any{"LogGroupName": "/g", "Bogus": 1}
	e.update(t, req, map[string]any{"LogGroupName": "/g", "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}})
	arn := strings.TrimSuffix(res.Attributes["Arn"].(string), ":*")
	tags, err := e.apis.Logs.StoreFor(testAccount, testRegion).ListTagsForResource(context.Background(), &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: &arn})
	if err != nil || tags.Tags["k"] != "v" {
		t.Errorf("tags after update: %+v, %v", tags, err)
	}
}
