package ssm

import "strings"

// parameterARN is arn:aws:ssm:<region>:<account>:parameter/<name>, the
// name without its leading slash.
func (s *Store) parameterARN(name string) string {
	return arnPrefix(s.region, s.account) + strings.TrimPrefix(name, "/")
}

func arnPrefix(region, account string) string {
	return "arn:aws:ssm:" + region + ":" + account + ":parameter/"
}
