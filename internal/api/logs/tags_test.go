package logs_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

func TestTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	must(e.C.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"a": "1"}}))(t)
	arn := logsapi.GroupARN(region, account, "g")
	list := func() map[string]string {
		t.Helper()
		byARN := must(e.C.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn + ":*")}))(t).Tags
		byName := must(e.C.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("g")}))(t).Tags
		if len(byARN) != len(byName) {
			t.Errorf("by ARN %v, by name %v", byARN, byName)
		}
		return byARN
	}
	if got := list(); got["a"] != "1" || len(got) != 1 {
		t.Errorf("created with %v", got)
	}
	must(e.C.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"b": "2", "a": "x"}}))(t)
	must(e.C.TagLogGroup(ctx, &cloudwatchlogs.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"c": "3"}}))(t)
	if got := list(); got["a"] != "x" || got["b"] != "2" || got["c"] != "3" || len(got) != 3 {
		t.Errorf("after tagging: %v", got)
	}
	must(e.C.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a", "none"}}))(t)
	must(e.C.UntagLogGroup(ctx, &cloudwatchlogs.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"b"}}))(t)
	if got := list(); got["c"] != "3" || len(got) != 1 {
		t.Errorf("after untagging: %v", got)
	}
	many := map[string]string{}
	for i := range 50 {
		many["k"+strconv.Itoa(i)] = "v"
	}
	_, err := e.C.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: many})
	wantCode(t, err, "TooManyTagsException")
	_, err = e.C.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(logsapi.GroupARN(region, account, "none")), Tags: map[string]string{"a": "1"}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = e.C.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:sqs:us-east-1:000000000000:q")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("none")})
	wantCode(t, err, "ResourceNotFoundException")
}
