package sts

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// Session duration bounds of AssumeRole (seconds).
const (
	minDuration       = 900
	maxRoleDuration   = 43200
	defaultDuration   = 3600
	roleChainingLimit = 3600
)

// roleARNRe is the shape of an IAM role ARN: partition, no region, a
// 12-digit account, role/ then an optional path and the name.
var roleARNRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role/((?:[\x21-\x7E]*/)?)([\w+=,.@-]{1,64})$`)

// role is a parsed role ARN.
type role struct {
	arn, partition, account, name string
}

func parseRoleARN(arn string) (role, bool) {
	m := roleARNRe.FindStringSubmatch(arn)
	if m == nil {
		return role{}, false
	}
	return role{arn: arn, partition: m[1], account: m[2], name: m[4]}, true
}

// AssumeRole issues role session credentials. The role need not exist
// (nothing is enforced); when IAM knows it, its unique ID and maximum
// session duration are used.
func (a *API) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	var v violations
	v.Required(in.RoleArn, "roleArn")
	v.Required(in.RoleSessionName, "roleSessionName")
	checkRoleARN(&v, in.RoleArn)
	checkSessionName(&v, in.RoleSessionName)
	v.Between(in.DurationSeconds, "durationSeconds", minDuration, maxRoleDuration)
	v.Length(in.ExternalId, "externalId", 2, 1224)
	v.Length(in.SerialNumber, "serialNumber", 9, 256)
	v.Pattern(in.SerialNumber, "serialNumber", serialNumberRe, serialNumberText)
	v.Length(in.TokenCode, "tokenCode", 6, 6)
	v.Pattern(in.TokenCode, "tokenCode", tokenCodeRe, tokenCodeText)
	v.Length(in.SourceIdentity, "sourceIdentity", 2, 64)
	v.Length(in.Policy, "policy", 1, 2048)
	if err := v.err(); err != nil {
		return nil, err
	}
	caller, err := a.caller(ctx)
	if err != nil {
		return nil, err
	}
	user, d, err := a.session(*in.RoleArn, *in.RoleSessionName, in.DurationSeconds, caller.assumedRole)
	if err != nil {
		return nil, err
	}
	if err := checkPolicy(in.Policy); err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleOutput{
		AssumedRoleUser: user.assumedRoleUser(),
		Credentials:     a.issue(user.identity(), d),
		SourceIdentity:  in.SourceIdentity,
	}
	if in.Policy != nil || len(in.PolicyArns) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = ptr(packedSize(in.Policy, len(in.PolicyArns), len(in.Tags)))
	}
	return out, nil
}

// roleSession is the assumed-role user a session is for.
type roleSession struct {
	role    role
	roleID  string
	session string
}

func (s roleSession) arn() string {
	return "arn:" + s.role.partition + ":sts::" + s.role.account + ":assumed-role/" + s.role.name + "/" + s.session
}

func (s roleSession) assumedRoleUser() *types.AssumedRoleUser {
	return &types.AssumedRoleUser{Arn: ptr(s.arn()), AssumedRoleId: ptr(s.roleID + ":" + s.session)}
}

func (s roleSession) identity() identity {
	return identity{account: s.role.account, arn: s.arn(), userID: s.roleID + ":" + s.session, assumedRole: true}
}

// session resolves the role and the session's duration, applying the
// role's maximum and the one-hour limit of role chaining.
func (a *API) session(arn, name string, seconds *int32, chained bool) (roleSession, time.Duration, error) {
	r, ok := parseRoleARN(arn)
	if !ok {
		return roleSession{}, 0, errInvalidARN()
	}
	s := roleSession{role: r, roleID: derivedRoleID(arn), session: name}
	limit := int32(maxRoleDuration)
	if a.opts.Directory != nil {
		if id, max, ok := a.opts.Directory.RoleByARN(arn); ok {
			s.roleID = id
			if max > 0 {
				limit = max
			}
		}
	}
	d := int32(defaultDuration)
	if seconds != nil {
		d = *seconds
	}
	switch {
	case chained && d > roleChainingLimit:
		return roleSession{}, 0, errValidation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	case d > limit:
		return roleSession{}, 0, errValidation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return s, time.Duration(d) * time.Second, nil
}

func checkRoleARN(v *violations, arn *string) {
	v.Length(arn, "roleArn", 20, 2048)
	v.Pattern(arn, "roleArn", arnCharsRe, arnCharsText)
}

func checkSessionName(v *violations, name *string) {
	v.Length(name, "roleSessionName", 2, 64)
	v.Pattern(name, "roleSessionName", sessionNameRe, sessionNameText)
}

// checkPolicy refuses a session policy that is not JSON, as STS does.
func checkPolicy(policy *string) error {
	if policy == nil || json.Valid([]byte(*policy)) {
		return nil
	}
	return &types.MalformedPolicyDocumentException{Message: ptr("The policy is not in the valid JSON format.")}
}

// packedSize approximates the percentage of the packed session policy
// limit used: AWS compresses the policy, ARNs and tags into the token.
func packedSize(policy *string, arns, tags int) int32 {
	n := len(strings.Join(strings.Fields(deref(policy)), "")) + 40*arns + 30*tags
	return int32(min(100, max(1, n*100/2048)))
}
