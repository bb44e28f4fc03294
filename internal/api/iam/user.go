package iam

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/reqctx"
)

// user is an IAM user with its policies.
type user struct {
	u types.User
	policies
}

// CreateUser creates a user.
func (s *Store) CreateUser(_ context.Context, in *iam.CreateUserInput) (*iam.CreateUserOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	v.path(in.Path, "path")
	v.tagList(in.Tags)
	checkBoundaryARN(&v, in.PermissionsBoundary)
	if err := v.err(); err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if _, ok := s.users[key(*in.UserName)]; ok {
		return nil, errExists("User with name %s already exists.", *in.UserName)
	}
	boundary, err := s.boundary(in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	path := pathOr(in.Path)
	u := &user{u: types.User{
		Arn:                 ptr(s.arn("user", path, *in.UserName)),
		CreateDate:          s.timestamp(),
		Path:                ptr(path),
		UserId:              ptr(s.newID(userPrefix)),
		UserName:            ptr(*in.UserName),
		Tags:                tags,
		PermissionsBoundary: boundary,
	}, policies: policies{inline: map[string]string{}}}
	s.touch(kindUser, key(*in.UserName))
	s.users[key(*in.UserName)] = u
	out := clone.Of(u.u)
	return &iam.CreateUserOutput{User: &out}, nil
}

// user finds a user by name; the caller holds the lock.
func (s *Store) user(name string) (*user, error) {
	u, ok := s.users[key(name)]
	if !ok {
		return nil, errUserNotFound(name)
	}
	return u, nil
}

// GetUser returns a user, or without UserName the caller: the user whose
// access key signed the request, else the account's root user.
func (s *Store) GetUser(ctx context.Context, in *iam.GetUserInput) (*iam.GetUserOutput, error) {
	var v violations
	if in.UserName != nil {
		v.name(in.UserName, "userName", 128)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if in.UserName == nil {
		if u := s.caller(ctx); u != nil {
			out := clone.Of(u.u)
			return &iam.GetUserOutput{User: &out}, nil
		}
		return &iam.GetUserOutput{User: &types.User{
			Arn: ptr("arn:aws:iam::" + s.account + ":root"), UserId: ptr(s.account), Path: ptr("/"), UserName: ptr(""), CreateDate: s.timestamp(),
		}}, nil
	}
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	out := clone.Of(u.u)
	return &iam.GetUserOutput{User: &out}, nil
}

// caller is the user owning the request's access key, if any; the caller
// holds the lock.
func (s *Store) caller(ctx context.Context) *user {
	k, ok := s.accessKeys[reqctx.AccessKey(ctx)]
	if !ok {
		return nil
	}
	return s.users[key(k.userName)]
}

// ListUsers lists users by name, filtered by path prefix.
func (s *Store) ListUsers(_ context.Context, in *iam.ListUsersInput) (*iam.ListUsersOutput, error) {
	var v violations
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	users := []types.User{}
	for _, u := range s.users {
		if strings.HasPrefix(*u.u.Path, deref(in.PathPrefix)) {
			c := clone.Of(u.u)
			c.Tags, c.PermissionsBoundary = nil, nil
			users = append(users, c)
		}
	}
	s.unlock()
	sort.Slice(users, func(i, j int) bool { return *users[i].UserName < *users[j].UserName })
	items, truncated, marker, err := page(users, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUsersOutput{Users: items, IsTruncated: truncated, Marker: marker}, nil
}

// DeleteUser deletes a user that has no access keys and no policies.
func (s *Store) DeleteUser(_ context.Context, in *iam.DeleteUserInput) (*iam.DeleteUserOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	for _, k := range s.accessKeys {
		if strings.EqualFold(k.userName, *u.u.UserName) {
			return nil, errDeleteConflict("Cannot delete entity, must delete access keys first.")
		}
	}
	switch {
	case len(u.attached) > 0:
		return nil, errDeleteConflict("Cannot delete entity, must detach all policies first.")
	case len(u.inline) > 0:
		return nil, errDeleteConflict("Cannot delete entity, must delete policies first.")
	}
	s.touch(kindUser, key(*in.UserName))
	delete(s.users, key(*in.UserName))
	return &iam.DeleteUserOutput{}, nil
}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Store) PutUserPolicy(_ context.Context, in *iam.PutUserPolicyInput) (*iam.PutUserPolicyOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	checkInline(&v, in.PolicyName, in.PolicyDocument)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDocument(*in.PolicyDocument); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	s.touch(kindUser, key(*in.UserName))
	u.inline[*in.PolicyName] = *in.PolicyDocument
	return &iam.PutUserPolicyOutput{}, nil
}

// GetUserPolicy returns an inline policy of a user, URL-encoded.
func (s *Store) GetUserPolicy(_ context.Context, in *iam.GetUserPolicyInput) (*iam.GetUserPolicyOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	v.name(in.PolicyName, "policyName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	doc, ok := u.inline[*in.PolicyName]
	if !ok {
		return nil, errNoSuchEntity("The user policy with name %s cannot be found.", *in.PolicyName)
	}
	return &iam.GetUserPolicyOutput{UserName: u.u.UserName, PolicyName: in.PolicyName, PolicyDocument: ptr(encodeDocument(doc))}, nil
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Store) ListUserPolicies(_ context.Context, in *iam.ListUserPoliciesInput) (*iam.ListUserPoliciesOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	u, err := s.user(*in.UserName)
	var names []string
	if err == nil {
		names = u.inlineNames()
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserPoliciesOutput{PolicyNames: items, IsTruncated: truncated, Marker: marker}, nil
}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Store) DeleteUserPolicy(_ context.Context, in *iam.DeleteUserPolicyInput) (*iam.DeleteUserPolicyOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	v.name(in.PolicyName, "policyName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	if _, ok := u.inline[*in.PolicyName]; !ok {
		return nil, errNoSuchEntity("The user policy with name %s cannot be found.", *in.PolicyName)
	}
	s.touch(kindUser, key(*in.UserName))
	delete(u.inline, *in.PolicyName)
	return &iam.DeleteUserPolicyOutput{}, nil
}
