package logs

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/localaws/ecsemu/internal/paging"
)

// maxDescribe is the page size limit of DescribeLogGroups and
// DescribeLogStreams, also their default.
const maxDescribe = 50

// groupSettings are what a new log group is created with.
type groupSettings struct {
	retention int32
	kmsKeyID  string
	class     types.LogGroupClass
	tags      map[string]string
}

// CreateLogGroup creates an empty log group.
func (s *Store) CreateLogGroup(_ context.Context, in *cloudwatchlogs.CreateLogGroupInput) (*cloudwatchlogs.CreateLogGroupOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if kms := deref(in.KmsKeyId); len(kms) > 256 {
		return nil, errConstraint(kms, "kmsKeyId", "Member must have length less than or equal to 256")
	}
	class, err := checkClass(in.LogGroupClass)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	settings := groupSettings{kmsKeyID: deref(in.KmsKeyId), class: class, tags: in.Tags}
	if err := s.createGroup(*in.LogGroupName, settings); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.CreateLogGroupOutput{}, nil
}

// createGroup adds a group; its name and settings are already checked.
func (s *Store) createGroup(name string, settings groupSettings) error {
	s.mu.Lock()
	defer s.unlock()
	if s.groups[name] != nil {
		return errGroupExists()
	}
	if len(s.groups) >= s.opts.MaxGroups {
		return errLimitExceeded()
	}
	if settings.class == "" {
		settings.class = types.LogGroupClassStandard
	}
	g := &group{name: name, created: s.nowMillis(), retention: settings.retention, kmsKeyID: settings.kmsKeyID,
		class: settings.class, tags: map[string]string{}, streams: map[string]*stream{}}
	for k, v := range settings.tags {
		g.tags[k] = v
	}
	s.touchGroup(name)
	s.groups[name] = g
	return nil
}

// checkClass accepts the model's log group classes; unset means STANDARD.
func checkClass(class types.LogGroupClass) (types.LogGroupClass, error) {
	if class == "" {
		return types.LogGroupClassStandard, nil
	}
	values := class.Values()
	for _, v := range values {
		if v == class {
			return class, nil
		}
	}
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return "", errConstraint(class, "logGroupClass", "Member must satisfy enum value set: ["+strings.Join(names, ", ")+"]")
}

// DeleteLogGroup deletes a log group with its streams and events.
func (s *Store) DeleteLogGroup(_ context.Context, in *cloudwatchlogs.DeleteLogGroupInput) (*cloudwatchlogs.DeleteLogGroupOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if err := s.deleteGroup(*in.LogGroupName); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.DeleteLogGroupOutput{}, nil
}

func (s *Store) deleteGroup(name string) error {
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(name)
	if err != nil {
		return err
	}
	s.streams -= len(g.streams)
	for _, st := range g.streams {
		s.touchStreamAll(name, st)
	}
	s.touchGroup(name)
	delete(s.groups, name)
	return nil
}

// DescribeLogGroups lists log groups in name order, at most 50 a page,
// filtered by a name prefix, a case-insensitive name substring
// (logGroupNamePattern), a class or a list of names or ARNs.
func (s *Store) DescribeLogGroups(_ context.Context, in *cloudwatchlogs.DescribeLogGroupsInput) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	match, err := s.groupMatcher(in)
	if err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, maxDescribe)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	var found []types.LogGroup
	for _, name := range s.sortedGroupNames() {
		if g := s.groups[name]; match(g) {
			found = append(found, s.describeGroup(g))
		}
	}
	s.unlock()
	pg, next, err := page(found, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	return &cloudwatchlogs.DescribeLogGroupsOutput{LogGroups: nonNil(pg), NextToken: next}, nil
}

// groupMatcher checks DescribeLogGroups' filters and returns them as one
// predicate.
func (s *Store) groupMatcher(in *cloudwatchlogs.DescribeLogGroupsInput) (func(*group) bool, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, errInvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	if err := checkOptionalPrefix(in.LogGroupNamePrefix, "logGroupNamePrefix", checkGroupName); err != nil {
		return nil, err
	}
	if in.LogGroupNamePattern != nil && *in.LogGroupNamePattern != "" {
		if err := checkGroupName(in.LogGroupNamePattern, "logGroupNamePattern"); err != nil {
			return nil, err
		}
	}
	if len(in.LogGroupIdentifiers) > 0 && (in.LogGroupNamePrefix != nil || in.LogGroupNamePattern != nil) {
		return nil, errInvalidParameter("logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.")
	}
	if in.LogGroupClass != "" {
		if _, err := checkClass(in.LogGroupClass); err != nil {
			return nil, err
		}
	}
	ids := map[string]bool{}
	for _, id := range in.LogGroupIdentifiers {
		ids[s.groupNameOf(id)] = true
	}
	prefix := deref(in.LogGroupNamePrefix)
	pattern := strings.ToLower(deref(in.LogGroupNamePattern))
	return func(g *group) bool {
		return strings.HasPrefix(g.name, prefix) &&
			strings.Contains(strings.ToLower(g.name), pattern) &&
			(in.LogGroupClass == "" || g.class == in.LogGroupClass) &&
			(len(ids) == 0 || ids[g.name])
	}, nil
}

// groupNameOf turns a log group identifier (a name or an ARN) into a name.
func (s *Store) groupNameOf(id string) string {
	if name, ok := s.groupFromARN(id); ok {
		return name
	}
	return id
}

// describeGroup is the LogGroup of a group. Callers hold the lock.
func (s *Store) describeGroup(g *group) types.LogGroup {
	out := types.LogGroup{
		LogGroupName:      ptr(g.name),
		CreationTime:      ptr(g.created),
		MetricFilterCount: ptr(int32(0)),
		Arn:               ptr(groupARNStar(s.region, s.account, g.name)),
		LogGroupArn:       ptr(GroupARN(s.region, s.account, g.name)),
		StoredBytes:       ptr(g.storedBytes()),
		LogGroupClass:     g.class,
	}
	if g.retention != 0 {
		out.RetentionInDays = ptr(g.retention)
	}
	if g.kmsKeyID != "" {
		out.KmsKeyId = ptr(g.kmsKeyID)
	}
	return out
}

// storedBytes is the size of the messages the group keeps.
func (g *group) storedBytes() int64 {
	var n int64
	for _, st := range g.streams {
		n += int64(st.bytes)
	}
	return n
}

// PutRetentionPolicy sets how many days a group keeps events; only AWS's
// values are accepted.
func (s *Store) PutRetentionPolicy(_ context.Context, in *cloudwatchlogs.PutRetentionPolicyInput) (*cloudwatchlogs.PutRetentionPolicyOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if in.RetentionInDays == nil {
		return nil, errRequired("retentionInDays")
	}
	if !validRetention(*in.RetentionInDays) {
		return nil, errRetention(*in.RetentionInDays)
	}
	if err := s.setRetention(*in.LogGroupName, *in.RetentionInDays); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.PutRetentionPolicyOutput{}, nil
}

// DeleteRetentionPolicy makes a group keep its events forever.
func (s *Store) DeleteRetentionPolicy(_ context.Context, in *cloudwatchlogs.DeleteRetentionPolicyInput) (*cloudwatchlogs.DeleteRetentionPolicyOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if err := s.setRetention(*in.LogGroupName, 0); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.DeleteRetentionPolicyOutput{}, nil
}

func (s *Store) setRetention(name string, days int32) error {
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(name)
	if err != nil {
		return err
	}
	s.touchGroup(name)
	g.retention = days
	return nil
}

// page returns one page of a sorted listing with an opaque nextToken;
// tokens this API did not issue get InvalidParameterException.
func page[T any](items []T, token *string, n int) ([]T, *string, error) {
	pg, next, err := paging.Page(items, deref(token), n, "logs")
	if err != nil {
		return nil, nil, errInvalidToken()
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
