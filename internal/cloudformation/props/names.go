package props

import (
	"crypto/rand"
	"strings"
)

const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// PhysicalName is the name CloudFormation gives a resource whose template
// names none: "<stack>-<logicalID>-<12 random characters>", the stack name
// and the logical ID cut so that the whole fits maxLen, as CloudFormation
// does for load balancers (32), target groups (32) or roles (64).
func PhysicalName(stack, logicalID string, maxLen int) string {
	suffix := randomSuffix(12)
	if maxLen <= 0 {
		maxLen = 255
	}
	budget := maxLen - len(suffix) - 2
	if budget < 2 {
		return suffix[:min(len(suffix), maxLen)]
	}
	s, l := split(len(stack), len(logicalID), budget)
	return stack[:s] + "-" + logicalID[:l] + "-" + suffix
}

// LowerPhysicalName is PhysicalName in lower case, for resources whose
// names must be (S3 buckets).
func LowerPhysicalName(stack, logicalID string, maxLen int) string {
	return strings.ToLower(PhysicalName(stack, logicalID, maxLen))
}

// split shares budget between two parts, each keeping at least half when
// both are long.
func split(a, b, budget int) (int, int) {
	if a+b <= budget {
		return a, b
	}
	half := budget / 2
	switch {
	case a <= half:
		return a, budget - a
	case b <= budget-half:
		return budget - b, b
	}
	return half, budget - half
}

func randomSuffix(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = suffixAlphabet[int(b[i])%len(suffixAlphabet)]
	}
	return string(b)
}
