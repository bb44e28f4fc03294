package logs

import "strings"

// GroupARN is a log group's ARN as DescribeLogGroups' logGroupArn gives
// it: arn:aws:logs:<region>:<account>:log-group:<name>, without the ":*"
// that the older "arn" member and CloudFormation's Arn attribute carry.
func GroupARN(region, account, name string) string {
	return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name
}

// groupARNStar is the older "arn" member of a LogGroup, which ends in
// ":*" (all the group's streams).
func groupARNStar(region, account, name string) string {
	return GroupARN(region, account, name) + ":*"
}

// streamARN is arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>.
func streamARN(region, account, group, stream string) string {
	return GroupARN(region, account, group) + ":log-stream:" + stream
}

// groupFromARN returns the group name of a log group ARN of this store
// (with or without the trailing ":*"), or false.
func (s *Store) groupFromARN(arn string) (string, bool) {
	name, ok := strings.CutPrefix(arn, GroupARN(s.region, s.account, ""))
	if !ok || name == "" {
		return "", false
	}
	name = strings.TrimSuffix(name, ":*")
	if strings.Contains(name, ":") {
		return "", false
	}
	return name, true
}
