package ecs

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ARN builders, one per resource type (spec §3.1).

func clusterARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, account, name)
}

func serviceARN(region, account, cluster, name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", region, account, cluster, name)
}

func taskARN(region, account, cluster, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%s", region, account, cluster, id)
}

func containerARN(region, account, cluster, taskID, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:container/%s/%s/%s", region, account, cluster, taskID, id)
}

func taskDefinitionARN(region, account, family string, revision int32) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", region, account, family, revision)
}

func capacityProviderARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:capacity-provider/%s", region, account, name)
}

func serviceDeploymentARN(region, account, cluster, service, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service-deployment/%s/%s/%s", region, account, cluster, service, id)
}

func serviceRevisionARN(region, account, cluster, service, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service-revision/%s/%s/%s", region, account, cluster, service, id)
}

// arnResource returns the resource part of an ECS ARN ("cluster/dev") and
// whether s is an ECS ARN at all.
func arnResource(s string) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return "", false
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[2] != "ecs" {
		return "", false
	}
	return parts[5], true
}

// nameFromRef accepts a name or an ARN of the given kind ("cluster",
// "service", "task") and returns the last path element, which is the name
// or ID. It also accepts the old short ARN forms (service/<name>, task/<id>).
func nameFromRef(ref, kind string) string {
	res, ok := arnResource(ref)
	if !ok {
		return ref
	}
	if !strings.HasPrefix(res, kind+"/") {
		return ""
	}
	return res[strings.LastIndex(res, "/")+1:]
}

// IDs generates the identifiers AWS hands out. Tests may replace it.
type IDs interface {
	TaskID() string       // 32 lowercase hex
	DeploymentID() string // ecs-svc/ + 19 digits
	UUID() string
}

type randomIDs struct{}

func (randomIDs) TaskID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (randomIDs) DeploymentID() string {
	// 19 digits, the first non-zero, like ecs-svc/9223370564342348388: a
	// number in [1e18, MaxInt64]. The range must stop at MaxInt64, or the
	// addition overflows into a negative ID.
	n, _ := rand.Int(rand.Reader, big.NewInt(math.MaxInt64-1e18+1))
	return "ecs-svc/" + strconv.FormatInt(n.Int64()+1e18, 10)
}

func (randomIDs) UUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
