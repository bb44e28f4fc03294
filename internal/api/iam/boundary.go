package iam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Permissions boundaries of roles and users: a managed policy ARN kept on
// the entity and reported by GetRole/GetUser. Like every policy here it
// limits nothing.

// boundary checks a boundary ARN (nil: none) and returns what the entity
// carries. It must name a customer managed policy of this account or an
// AWS managed one. The caller holds the lock.
func (s *Store) boundary(arn *string) (*types.AttachedPermissionsBoundary, error) {
	if arn == nil {
		return nil, nil
	}
	if _, ok := s.policies[*arn]; !ok && !isAWSPolicyARN(*arn) {
		return nil, errNoSuchEntity("Scope ARN: %s does not exist or is not attachable.", *arn)
	}
	return &types.AttachedPermissionsBoundary{PermissionsBoundaryArn: ptr(*arn),
		PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy}, nil
}

// checkBoundaryARN validates the member's shape, as the model does.
func checkBoundaryARN(v *violations, arn *string) {
	v.Length(arn, "permissionsBoundary", 20, 2048)
}

// boundaryUses counts the roles and users a policy is the boundary of.
// The caller holds the lock.
func (s *Store) boundaryUses(arn string) int32 {
	var n int32
	for _, r := range s.roles {
		if b := r.r.PermissionsBoundary; b != nil && deref(b.PermissionsBoundaryArn) == arn {
			n++
		}
	}
	for _, u := range s.users {
		if b := u.u.PermissionsBoundary; b != nil && deref(b.PermissionsBoundaryArn) == arn {
			n++
		}
	}
	return n
}

// PutRolePermissionsBoundary sets or replaces a role's boundary.
func (s *Store) PutRolePermissionsBoundary(_ context.Context, in *iam.PutRolePermissionsBoundaryInput) (*iam.PutRolePermissionsBoundaryOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.Required(in.PermissionsBoundary, "permissionsBoundary")
	checkBoundaryARN(&v, in.PermissionsBoundary)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	b, err := s.boundary(in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	r.r.PermissionsBoundary = b
	return &iam.PutRolePermissionsBoundaryOutput{}, nil
}

// DeleteRolePermissionsBoundary removes a role's boundary.
func (s *Store) DeleteRolePermissionsBoundary(_ context.Context, in *iam.DeleteRolePermissionsBoundaryInput) (*iam.DeleteRolePermissionsBoundaryOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	r.r.PermissionsBoundary = nil
	return &iam.DeleteRolePermissionsBoundaryOutput{}, nil
}

// PutUserPermissionsBoundary sets or replaces a user's boundary.
func (s *Store) PutUserPermissionsBoundary(_ context.Context, in *iam.PutUserPermissionsBoundaryInput) (*iam.PutUserPermissionsBoundaryOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	v.Required(in.PermissionsBoundary, "permissionsBoundary")
	checkBoundaryARN(&v, in.PermissionsBoundary)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	b, err := s.boundary(in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	u.u.PermissionsBoundary = b
	return &iam.PutUserPermissionsBoundaryOutput{}, nil
}

// DeleteUserPermissionsBoundary removes a user's boundary.
func (s *Store) DeleteUserPermissionsBoundary(_ context.Context, in *iam.DeleteUserPermissionsBoundaryInput) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	u.u.PermissionsBoundary = nil
	return &iam.DeleteUserPermissionsBoundaryOutput{}, nil
}
