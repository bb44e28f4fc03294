package reconcile

import "strings"

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func lastElem(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// clusterName is the name in a cluster ARN.
func clusterName(arn string) string { return lastElem(arn) }

// regionOf is the region field of an ARN.
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// accountOf is the account field of an ARN ("" if it has none).
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}
