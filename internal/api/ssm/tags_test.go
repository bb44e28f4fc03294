package ssm_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func tagMap(tags []types.Tag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

func TestTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ssmapi.Options{})
	ctx := t.Context()
	must(e.C.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/t"), Value: aws.String("v"), Type: "String", Tags: []types.Tag{tag("a", "1")}}))(t)
	must(e.C.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/t"),
		Tags: []types.Tag{tag("a", "2"), tag("b", "3")}}))(t)
	got := tagMap(must(e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: "Parameter", ResourceId: aws.String("/t")}))(t).TagList)
	if fmt.Sprint(got) != "map[a:2 b:3]" {
		t.Errorf("tags = %v", got)
	}
	must(e.C.RemoveTagsFromResource(ctx, &ssm.RemoveTagsFromResourceInput{ResourceType: "Parameter", ResourceId: aws.String("/t"), TagKeys: []string{"a"}}))(t)
	got = tagMap(must(e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: "Parameter", ResourceId: aws.String("/t")}))(t).TagList)
	if fmt.Sprint(got) != "map[b:3]" {
		t.Errorf("tags after remove = %v", got)
	}
	_, err := e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: "Parameter", ResourceId: aws.String("/missing")})
	wantCode(t, err, "InvalidResourceId")
	_, err = e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: "Document", ResourceId: aws.String("/t")})
	wantCode(t, err, "InvalidResourceId")
	_, err = e.C.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: "Bucket", ResourceId: aws.String("/t")})
	wantCode(t, err, "InvalidResourceType")
	var fifty []types.Tag
	for i := range 50 {
		fifty = append(fifty, tag(fmt.Sprintf("k%d", i), "v"))
	}
	_, err = e.C.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: "Parameter", ResourceId: aws.String("/t"), Tags: fifty})
	wantCode(t, err, "TooManyTagsError")
}
