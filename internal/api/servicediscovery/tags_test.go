package servicediscovery_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

func TestTagging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	nsOp := must(e.C.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("api"), Tags: []types.Tag{tag("team", "a"), tag("team", "b")}}))(t)
	ns := e.namespaceOf(t, *nsOp.OperationId)
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id, Tags: []types.Tag{tag("env", "dev")}})

	list := func(arn string) string {
		t.Helper()
		return tagsOf(must(e.C.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: aws.String(arn)}))(t).Tags)
	}
	if got := list(*ns.Arn); got != "team=b" {
		t.Errorf("namespace tags at creation = %s (a key given twice keeps its last value)", got)
	}
	if got := list(*svc.Arn); got != "env=dev" {
		t.Errorf("service tags at creation = %s", got)
	}

	for _, r := range []struct{ kind, arn string }{{"namespace", *ns.Arn}, {"service", *svc.Arn}} {
		t.Run(r.kind, func(t *testing.T) {
			must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: aws.String(r.arn), Tags: []types.Tag{tag("a", "1"), tag("b", "2")}}))(t)
			must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: aws.String(r.arn), Tags: []types.Tag{tag("a", "3"), tag("c", "")}}))(t)
			if got := list(r.arn); !strings.Contains(got, "a=3,b=2,c=") {
				t.Errorf("after tagging: %s", got)
			}
			must(e.C.UntagResource(ctx, &sd.UntagResourceInput{ResourceARN: aws.String(r.arn), TagKeys: []string{"b", "c", "never"}}))(t)
			if got := list(r.arn); strings.Contains(got, "b=") || !strings.Contains(got, "a=3") {
				t.Errorf("after untagging: %s", got)
			}
		})
	}

}

func TestTaggingErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})
	var fifty []types.Tag
	for i := range 50 {
		fifty = append(fifty, tag(fmt.Sprintf("k%d", i), "v"))
	}
	must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: svc.Arn, Tags: fifty}))(t)
	must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: svc.Arn, Tags: []types.Tag{tag("k0", "replaced")}}))(t) // still 50

	_, err := e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: svc.Arn, Tags: []types.Tag{tag("one-more", "v")}})
	wantCode(t, err, "TooManyTagsException", s400)
	if got := requireErr[*types.TooManyTagsException](t, err); aws.ToString(got.ResourceName) != aws.ToString(svc.Arn) {
		t.Errorf("ResourceName = %q", aws.ToString(got.ResourceName))
	}

	gone := strings.Replace(aws.ToString(svc.Arn), aws.ToString(svc.Id), "srv-0000000000000000", 1)
	otherRegion := strings.Replace(aws.ToString(ns.Arn), "us-east-1", "us-west-2", 1)
	raw := e.unvalidated()
	runErrCases(t, []errCase{
		{"unknown service", call(e.C.ListTagsForResource, &sd.ListTagsForResourceInput{ResourceARN: aws.String(gone)}), "ResourceNotFoundException", s404},
		{"namespace of another region", call(e.C.TagResource, &sd.TagResourceInput{ResourceARN: aws.String(otherRegion), Tags: []types.Tag{tag("a", "b")}}), "ResourceNotFoundException", s404},
		{"untag unknown", call(e.C.UntagResource, &sd.UntagResourceInput{ResourceARN: aws.String(gone), TagKeys: []string{"a"}}), "ResourceNotFoundException", s404},
		{"not an ARN", call(e.C.ListTagsForResource, &sd.ListTagsForResourceInput{ResourceARN: aws.String("srv-123")}), "InvalidInput", s400},
		{"ECS ARN", call(e.C.ListTagsForResource, &sd.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws:ecs:us-east-1:000000000000:cluster/dev")}), "InvalidInput", s400},
		{"no ARN", call(raw.ListTagsForResource, &sd.ListTagsForResourceInput{}), "InvalidInput", s400},
		{"no tags", call(raw.TagResource, &sd.TagResourceInput{ResourceARN: ns.Arn}), "InvalidInput", s400},
		{"no tag keys", call(raw.UntagResource, &sd.UntagResourceInput{ResourceARN: ns.Arn}), "InvalidInput", s400},
		{"tag without value", call(raw.TagResource, &sd.TagResourceInput{ResourceARN: ns.Arn, Tags: []types.Tag{{Key: aws.String("k")}}}), "InvalidInput", s400},
		{"value too long", call(e.C.TagResource, &sd.TagResourceInput{ResourceARN: ns.Arn, Tags: []types.Tag{tag("k", strings.Repeat("v", 257))}}), "InvalidInput", s400},
		{"reserved key", call(e.C.TagResource, &sd.TagResourceInput{ResourceARN: ns.Arn, Tags: []types.Tag{tag("AWS:x", "v")}}), "InvalidInput", s400},
	})

	t.Run("tags go with the resource", func(t *testing.T) {
		must(e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Id}))(t)
		_, err := e.C.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: svc.Arn})
		wantCode(t, err, "ResourceNotFoundException", s404)
		again := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})
		if tags := must(e.C.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: again.Arn}))(t).Tags; tags == nil || len(tags) != 0 {
			t.Errorf("tags of a new service = %v", tags)
		}
	})
}
