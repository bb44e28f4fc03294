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

// boundaryOf finds where a named entity keeps its boundary: a role that
// may be modified, or a user. The caller holds the lock.
type boundaryOf func(s *Store, name string) (**types.AttachedPermissionsBoundary, error)

func roleBoundary(s *Store, name string) (**types.AttachedPermissionsBoundary, error) {
	r, err := s.modifiableRole(name)
	if err != nil {
		return nil, err
	}
	return &r.r.PermissionsBoundary, nil
}

func userBoundary(s *Store, name string) (**types.AttachedPermissionsBoundary, error) {
	u, err := s.user(name)
	if err != nil {
		return nil, err
	}
	return &u.u.PermissionsBoundary, nil
}

// setBoundary sets, replaces or (arn nil, remove) removes the boundary of
// the entity member names.
func (s *Store) setBoundary(name *string, member string, arn *string, remove bool, of boundaryOf) error {
	var v violations
	v.name(name, member, 64)
	if !remove {
		v.Required(arn, "permissionsBoundary")
		checkBoundaryARN(&v, arn)
	}
	if err := v.err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.unlock()
	slot, err := of(s, *name)
	if err != nil {
		return err
	}
	b, err := s.boundary(arn)
	if err != nil {
		return err
	}
	s.touchNamed(member, *name)
	*slot = b
	return nil
}

// PutRolePermissionsBoundary sets or replaces a role's boundary.
func (s *Store) PutRolePermissionsBoundary(_ context.Context, in *iam.PutRolePermissionsBoundaryInput) (*iam.PutRolePermissionsBoundaryOutput, error) {
	if err := s.setBoundary(in.RoleName, "roleName", in.PermissionsBoundary, false, roleBoundary); err != nil {
		return nil, err
	}
	return &iam.PutRolePermissionsBoundaryOutput{}, nil
}

// DeleteRolePermissionsBoundary removes a role's boundary.
func (s *Store) DeleteRolePermissionsBoundary(_ context.Context, in *iam.DeleteRolePermissionsBoundaryInput) (*iam.DeleteRolePermissionsBoundaryOutput, error) {
	if err := s.setBoundary(in.RoleName, "roleName", nil, true, roleBoundary); err != nil {
		return nil, err
	}
	return &iam.DeleteRolePermissionsBoundaryOutput{}, nil
}

// PutUserPermissionsBoundary sets or replaces a user's boundary.
func (s *Store) PutUserPermissionsBoundary(_ context.Context, in *iam.PutUserPermissionsBoundaryInput) (*iam.PutUserPermissionsBoundaryOutput, error) {
	if err := s.setBoundary(in.UserName, "userName", in.PermissionsBoundary, false, userBoundary); err != nil {
		return nil, err
	}
	return &iam.PutUserPermissionsBoundaryOutput{}, nil
}

// DeleteUserPermissionsBoundary removes a user's boundary.
func (s *Store) DeleteUserPermissionsBoundary(_ context.Context, in *iam.DeleteUserPermissionsBoundaryInput) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
	if err := s.setBoundary(in.UserName, "userName", nil, true, userBoundary); err != nil {
		return nil, err
	}
	return &iam.DeleteUserPermissionsBoundaryOutput{}, nil
}
