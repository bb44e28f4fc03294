package clone

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestOfIsDeep(t *testing.T) {
	now := time.Unix(1700000000, 0)
	orig := types.Task{
		TaskArn:    aws.String("arn"),
		CreatedAt:  &now,
		Containers: []types.Container{{Name: aws.String("web"), ExitCode: aws.Int32(1)}},
		Tags:       []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
		Overrides:  &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("web")}}},
	}
	cp := Of(orig)
	*cp.TaskArn = "changed"
	*cp.Containers[0].Name = "changed"
	*cp.Containers[0].ExitCode = 9
	cp.Tags[0].Key = aws.String("changed")
	*cp.Overrides.ContainerOverrides[0].Name = "changed"
	if *orig.TaskArn != "arn" || *orig.Containers[0].Name != "web" || *orig.Containers[0].ExitCode != 1 ||
		*orig.Tags[0].Key != "k" || *orig.Overrides.ContainerOverrides[0].Name != "web" {
		t.Fatalf("copy shares memory with the original: %+v", orig)
	}
	if !cp.CreatedAt.Equal(now) {
		t.Fatalf("time not copied: %v", cp.CreatedAt)
	}
	m := map[string][]string{"a": {"x"}}
	mc := Of(m)
	mc["a"][0] = "y"
	if m["a"][0] != "x" {
		t.Fatal("map values shared")
	}
	var nilSlice []types.Tag
	if Of(nilSlice) != nil {
		t.Fatal("nil slice became non-nil")
	}
}
