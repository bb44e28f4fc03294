package elbv2

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// ARN builders, one per resource type (spec §3.1).

func loadBalancerARN(region, account, name, id string) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region, account, name, id)
}

func targetGroupARN(region, account, name, id string) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", region, account, name, id)
}

// listenerARN derives from the load balancer's ARN:
// …:listener/app/<lbName>/<lbId>/<id>.
func listenerARN(lbARN, id string) string {
	return strings.Replace(lbARN, ":loadbalancer/", ":listener/", 1) + "/" + id
}

// ruleARN derives from the listener's ARN:
// …:listener-rule/app/<lbName>/<lbId>/<listenerId>/<id>.
func ruleARN(listenerARN, id string) string {
	return strings.Replace(listenerARN, ":listener/", ":listener-rule/", 1) + "/" + id
}

// arnParts splits an ELBv2 ARN into region and resource
// ("targetgroup/web/73e2d6bc24d8a067"); ok is false for anything else.
func arnParts(arn string) (region, resource string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "elasticloadbalancing" {
		return "", "", false
	}
	return parts[3], parts[5], true
}

// resourceKind is the ARN's resource type: loadbalancer, targetgroup,
// listener, listener-rule, truststore.
func resourceKind(arn string) string {
	_, res, ok := arnParts(arn)
	if !ok {
		return ""
	}
	kind, _, _ := strings.Cut(res, "/")
	return kind
}

// dnsName is the public DNS name of an ALB (spec §3.1).
func dnsName(name, id, region string, internal bool) string {
	prefix := ""
	if internal {
		prefix = "internal-"
	}
	return fmt.Sprintf("%s%s-%s.%s.elb.amazonaws.com", prefix, name, id, region)
}

// hostedZoneIDs are the Route 53 zones of ALB DNS names, per region
// (spec §3.1; regions without an entry get us-east-1's).
var hostedZoneIDs = map[string]string{
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
}

func hostedZoneID(region string) string {
	if id, ok := hostedZoneIDs[region]; ok {
		return id
	}
	return hostedZoneIDs["us-east-1"]
}

// defaultVPC is the VPC of every load balancer: without EC2 the subnets
// name no VPC, so each account and region has one stable made-up VPC.
func defaultVPC(account, region string) string {
	sum := sha256.Sum256([]byte(account + "/" + region))
	return "vpc-" + hex.EncodeToString(sum[:])[:17]
}

// defaultSecurityGroup is the default security group of defaultVPC.
func defaultSecurityGroup(vpc string) string {
	sum := sha256.Sum256([]byte(vpc + "/default"))
	return "sg-" + hex.EncodeToString(sum[:])[:17]
}

// IDs generates the identifiers AWS hands out. Tests may replace it.
type IDs interface {
	ResourceID() string // 16 lowercase hex, the last ARN element
	DNSID() string      // decimal, up to 10 digits, in DNS names
}

type randomIDs struct{}

func (randomIDs) ResourceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (randomIDs) DNSID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[:])|1<<28), 10)
}
