package iam

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// UpdateUser moves a user to a new path and/or renames it. The user keeps
// its ID, policies and access keys; its ARN follows the new path and name.
func (s *Store) UpdateUser(_ context.Context, in *iam.UpdateUserInput) (*iam.UpdateUserOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 128)
	v.path(in.NewPath, "newPath")
	if in.NewUserName != nil {
		v.name(in.NewUserName, "newUserName", 64)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	oldName, name, path := *u.u.UserName, *u.u.UserName, *u.u.Path
	if in.NewUserName != nil {
		name = *in.NewUserName
		if other, taken := s.users[key(name)]; taken && other != u {
			return nil, errExists("User with name %s already exists.", name)
		}
	}
	if in.NewPath != nil {
		path = *in.NewPath
	}
	delete(s.users, key(oldName))
	u.u.UserName, u.u.Path, u.u.Arn = ptr(name), ptr(path), ptr(s.arn("user", path, name))
	s.users[key(name)] = u
	s.touch(kindUser, key(oldName))
	s.touch(kindUser, key(name))
	for _, k := range s.accessKeys {
		if strings.EqualFold(k.userName, oldName) {
			s.touch(kindAccessKey, k.id)
			k.userName = name
		}
	}
	return &iam.UpdateUserOutput{}, nil
}
