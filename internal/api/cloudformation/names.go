package cloudformation

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
)

// namePattern is the rule of stack and change set names.
var namePattern = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

// checkName applies the stack (or change set) name rule, in the words of
// AWS's request validation.
func checkName(member, name string) error {
	if name == "" {
		return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
	}
	if len(name) > 128 {
		return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 128", name, member)
	}
	if !namePattern.MatchString(name) {
		return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", name, member)
	}
	return nil
}

// uuid is a random version 4 UUID, the last part of stack and change
// set ARNs.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func stackARN(region, account, name string) string {
	return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", partition(region), region, account, name, uuid())
}

func changeSetARN(region, account, name string) string {
	return fmt.Sprintf("arn:%s:cloudformation:%s:%s:changeSet/%s/%s", partition(region), region, account, name, uuid())
}

// isARN reports whether a StackName or ChangeSetName is an ARN.
func isARN(s string) bool { return strings.HasPrefix(s, "arn:") }
