package ecs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestTagging(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	cluster := createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))
	svc := createService(t, c, fargateService("dev", "svc", "web", 0))
	task := runFargate(t, c, "dev", *td.TaskDefinitionArn, 1)[0]

	resources := []struct{ kind, arn string }{
		{"cluster", *cluster.ClusterArn},
		{"service", *svc.ServiceArn},
		{"task", *task.TaskArn}, // stopped by now, still taggable
		{"task definition", *td.TaskDefinitionArn},
		{"capacity provider", arnOf("capacity-provider/FARGATE")},
	}
	for _, r := range resources {
		t.Run(r.kind, func(t *testing.T) {
			list := func() map[string]string {
				return tagsOf(must(c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(r.arn)}))(t).Tags)
			}
			if got := list(); len(got) != 0 {
				t.Errorf("initial tags = %v", got)
			}
			must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(r.arn), Tags: []types.Tag{tag("a", "1"), tag("b", "2")}}))(t)
			must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(r.arn), Tags: []types.Tag{tag("a", "3"), tag("c", "")}}))(t)
			if got := list(); fmt.Sprint(got) != "map[a:3 b:2 c:]" {
				t.Errorf("after tagging = %v, want a:3 b:2 c:", got)
			}
			must(c.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(r.arn), TagKeys: []string{"b", "c", "never"}}))(t)
			if got := list(); fmt.Sprint(got) != "map[a:3]" {
				t.Errorf("after untagging = %v, want a:3", got)
			}
		})
	}

	t.Run("tags show in describe", func(t *testing.T) {
		desc := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"dev"}, Include: []types.ClusterField{types.ClusterFieldTags}}))(t)
		if got := tagsOf(desc.Clusters[0].Tags); got["a"] != "3" {
			t.Errorf("cluster tags = %v", got)
		}
	})

	fifty := make([]types.Tag, 50)
	for i := range fifty {
		fifty[i] = tag(fmt.Sprintf("k%02d", i), "v")
	}
	fiftyOne := append(append([]types.Tag{}, fifty...), tag("one-more", "v"))
	clusterARN := *cluster.ClusterArn
	tagErrs := []struct {
		name  string
		arn   string
		tags  []types.Tag
		check errCheck
	}{
		{"aws: prefix", clusterARN, []types.Tag{tag("aws:owner", "me")}, errLike[*types.InvalidParameterException]("aws:")},
		{"AWS: prefix in any case", clusterARN, []types.Tag{tag("AWS:owner", "me")}, errLike[*types.InvalidParameterException]("aws:")},
		{"51 tags", *td.TaskDefinitionArn, fiftyOne, errOf[*types.InvalidParameterException]("")},
		{"empty key", clusterARN, []types.Tag{tag("", "v")}, errOf[*types.InvalidParameterException]("")},
		{"key of 129", clusterARN, []types.Tag{tag(strings.Repeat("k", 129), "v")}, errOf[*types.InvalidParameterException]("")},
		{"value of 257", clusterARN, []types.Tag{tag("k", strings.Repeat("v", 257))}, errOf[*types.InvalidParameterException]("")},
		{"bad character", clusterARN, []types.Tag{tag("k", "a|b")}, errOf[*types.InvalidParameterException]("")},
		{"no tags", clusterARN, []types.Tag{}, errOf[*types.InvalidParameterException]("")},
		{"unknown cluster", arnOf("cluster/nope"), []types.Tag{tag("k", "v")}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"cluster of another region", "arn:aws:ecs:eu-west-1:000000000000:cluster/dev", []types.Tag{tag("k", "v")}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"unknown service", arnOf("service/dev/nope"), []types.Tag{tag("k", "v")}, errOf[*types.ServiceNotFoundException]("")},
		{"unknown task", arnOf("task/dev/0123456789abcdef0123456789abcdef"), []types.Tag{tag("k", "v")}, errOf[*types.ResourceNotFoundException]("")},
		{"unknown task definition", arnOf("task-definition/web:9"), []types.Tag{tag("k", "v")}, errOf[*types.ResourceNotFoundException]("")},
		{"task definition ARN without ID", arnOf("task-definition"), []types.Tag{tag("k", "v")}, errOf[*types.ResourceNotFoundException]("")},
		{"capacity provider ARN without ID", arnOf("capacity-provider"), []types.Tag{tag("k", "v")}, errOf[*types.ResourceNotFoundException]("")},
		{"unknown capacity provider", arnOf("capacity-provider/MINE"), []types.Tag{tag("k", "v")}, errOf[*types.ResourceNotFoundException]("")},
		{"not an ARN", "dev", []types.Tag{tag("k", "v")}, errOf[*types.InvalidParameterException]("")},
		{"not an ECS ARN", "arn:aws:s3:::bucket", []types.Tag{tag("k", "v")}, errOf[*types.InvalidParameterException]("")},
		{"unsupported resource type", arnOf("container-instance/dev/abc"), []types.Tag{tag("k", "v")}, errOf[*types.InvalidParameterException]("")},
	}
	for _, tc := range tagErrs {
		t.Run("TagResource "+tc.name, func(t *testing.T) {
			_, err := c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(tc.arn), Tags: tc.tags})
			tc.check(t, err)
		})
	}

	t.Run("50 tags is the limit, counting existing ones", func(t *testing.T) {
		arn := register(t, c, fargateTD("limits")).TaskDefinitionArn
		must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: fifty}))(t)
		_, err := c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("extra", "v")}})
		requireErr[*types.InvalidParameterException](t, err, "")
		must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("k00", "replaced")}}))(t)
	})

	for _, tc := range []struct {
		name  string
		arn   string
		check errCheck
	}{
		{"unknown cluster", arnOf("cluster/nope"), errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"unknown task", arnOf("task/dev/0123456789abcdef0123456789abcdef"), errOf[*types.ResourceNotFoundException]("")},
		{"not an ARN", "dev", errOf[*types.InvalidParameterException]("")},
	} {
		t.Run("ListTagsForResource "+tc.name, func(t *testing.T) {
			_, err := c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(tc.arn)})
			tc.check(t, err)
		})
		t.Run("UntagResource "+tc.name, func(t *testing.T) {
			_, err := c.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(tc.arn), TagKeys: []string{"k"}})
			tc.check(t, err)
		})
	}
}

// Tags given at creation propagate the way propagateTags says.
func TestRunTaskPropagatesTaskDefinitionTags(t *testing.T) {
	t.Parallel()
	c := startStatic(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	in := fargateTD("web")
	in.Tags = []types.Tag{tag("from", "td")}
	register(t, c, in)
	out := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: awsvpc(), PropagateTags: types.PropagateTagsTaskDefinition, Tags: []types.Tag{tag("own", "1")}}))(t)
	lt := must(c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: out.Tasks[0].TaskArn}))(t)
	if got := tagsOf(lt.Tags); got["from"] != "td" || got["own"] != "1" {
		t.Errorf("task tags = %v", got)
	}
}
