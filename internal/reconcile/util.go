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
