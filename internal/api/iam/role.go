package iam

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// Session duration bounds of a role (seconds).
const (
	minRoleSession     = 3600
	maxRoleSession     = 43200
	defaultRoleSession = 3600
)

// role is a role with its policies. The trust policy is kept as sent and
// URL-encoded on the way out.
type role struct {
	r types.Role
	policies
	// protected marks service-linked roles, which only their service
	// may change.
	protected bool
}

// key is the map key of an IAM name: names are unique case-insensitively.
func key(name string) string { return strings.ToLower(name) }

// view is the copy of a role returned to callers.
func (r *role) view() *types.Role {
	out := clone.Of(r.r)
	out.AssumeRolePolicyDocument = ptr(encodeDocument(deref(r.r.AssumeRolePolicyDocument)))
	out.RoleLastUsed = &types.RoleLastUsed{}
	return &out
}

// listed is a role as List* operations show it: without tags and last use.
func (r *role) listed() types.Role {
	out := *r.view()
	out.Tags, out.RoleLastUsed, out.PermissionsBoundary = nil, nil, nil
	return out
}

// CreateRole creates a role with a trust policy.
func (s *Store) CreateRole(_ context.Context, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.path(in.Path, "path")
	v.document(in.AssumeRolePolicyDocument, "assumeRolePolicyDocument")
	v.Length(in.Description, "description", 0, 1000)
	v.Between(in.MaxSessionDuration, "maxSessionDuration", minRoleSession, maxRoleSession)
	v.tagList(in.Tags)
	checkBoundaryARN(&v, in.PermissionsBoundary)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDocument(*in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	boundary, err := s.boundary(in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	r, err := s.addRole(*in.RoleName, pathOr(in.Path), *in.AssumeRolePolicyDocument, in.Description, in.MaxSessionDuration, in.Tags)
	if err != nil {
		return nil, err
	}
	r.r.PermissionsBoundary = boundary
	return &iam.CreateRoleOutput{Role: r.view()}, nil
}

// addRole stores a new role; the caller holds the lock.
func (s *Store) addRole(name, path, trust string, description *string, maxSession *int32, tags []types.Tag) (*role, error) {
	if _, ok := s.roles[key(name)]; ok {
		return nil, errExists("Role with name %s already exists.", name)
	}
	if maxSession == nil {
		maxSession = ptr(int32(defaultRoleSession))
	}
	tags, err := mergeTags(nil, tags)
	if err != nil {
		return nil, err
	}
	r := &role{r: types.Role{
		Arn:                      ptr(s.arn("role", path, name)),
		CreateDate:               s.timestamp(),
		Path:                     ptr(path),
		RoleId:                   ptr(s.newID(rolePrefix)),
		RoleName:                 ptr(name),
		AssumeRolePolicyDocument: ptr(trust),
		Description:              description,
		MaxSessionDuration:       maxSession,
		Tags:                     tags,
	}, policies: policies{inline: map[string]string{}}}
	s.touch(kindRole, key(name))
	s.roles[key(name)] = r
	return r, nil
}

// pathOr is the path of a new entity: "/" unless given.
func pathOr(p *string) string {
	if p == nil {
		return "/"
	}
	return *p
}

// GetRole returns one role with its tags.
func (s *Store) GetRole(_ context.Context, in *iam.GetRoleInput) (*iam.GetRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.role(*in.RoleName)
	if err != nil {
		return nil, err
	}
	return &iam.GetRoleOutput{Role: r.view()}, nil
}

// role finds a role by name; the caller holds the lock.
func (s *Store) role(name string) (*role, error) {
	r, ok := s.roles[key(name)]
	if !ok {
		return nil, errRoleNotFound(name)
	}
	return r, nil
}

// ListRoles lists roles by name, filtered by path prefix.
func (s *Store) ListRoles(_ context.Context, in *iam.ListRolesInput) (*iam.ListRolesOutput, error) {
	var v violations
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	roles := s.sortedRoles(deref(in.PathPrefix))
	s.unlock()
	items, truncated, marker, err := page(roles, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRolesOutput{Roles: items, IsTruncated: truncated, Marker: marker}, nil
}

// sortedRoles lists the roles under a path prefix by name; the caller
// holds the lock.
func (s *Store) sortedRoles(prefix string) []types.Role {
	out := []types.Role{}
	for _, r := range s.roles {
		if strings.HasPrefix(deref(r.r.Path), prefix) {
			out = append(out, r.listed())
		}
	}
	sort.Slice(out, func(i, j int) bool { return *out[i].RoleName < *out[j].RoleName })
	return out
}

// UpdateRole changes a role's description and maximum session duration.
func (s *Store) UpdateRole(_ context.Context, in *iam.UpdateRoleInput) (*iam.UpdateRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.Length(in.Description, "description", 0, 1000)
	v.Between(in.MaxSessionDuration, "maxSessionDuration", minRoleSession, maxRoleSession)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if in.Description != nil {
		r.r.Description = ptr(*in.Description)
	}
	if in.MaxSessionDuration != nil {
		r.r.MaxSessionDuration = ptr(*in.MaxSessionDuration)
	}
	return &iam.UpdateRoleOutput{}, nil
}

// UpdateRoleDescription changes a role's description and returns the role.
func (s *Store) UpdateRoleDescription(_ context.Context, in *iam.UpdateRoleDescriptionInput) (*iam.UpdateRoleDescriptionOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.Required(in.Description, "description")
	v.Length(in.Description, "description", 0, 1000)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	// A service-linked role's description is the one thing its owner
	// may change (IAM User Guide, "Editing a service-linked role").
	r, err := s.role(*in.RoleName)
	if err != nil {
		return nil, err
	}
	s.touch(kindRole, key(*in.RoleName))
	r.r.Description = ptr(*in.Description)
	return &iam.UpdateRoleDescriptionOutput{Role: r.view()}, nil
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Store) UpdateAssumeRolePolicy(_ context.Context, in *iam.UpdateAssumeRolePolicyInput) (*iam.UpdateAssumeRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.document(in.PolicyDocument, "policyDocument")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDocument(*in.PolicyDocument); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	r.r.AssumeRolePolicyDocument = ptr(*in.PolicyDocument)
	return &iam.UpdateAssumeRolePolicyOutput{}, nil
}

// modifiableRole finds a role the caller may change: not a service-linked
// one. The caller holds the lock.
func (s *Store) modifiableRole(name string) (*role, error) {
	r, err := s.role(name)
	if err != nil {
		return nil, err
	}
	if r.protected {
		return nil, &types.UnmodifiableEntityException{Message: msgf("Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", *r.r.RoleName)}
	}
	s.touch(kindRole, key(name)) // only writes ask for a modifiable role
	return r, nil
}

// DeleteRole deletes a role that has no policies and is in no instance
// profile, as IAM requires.
func (s *Store) DeleteRole(_ context.Context, in *iam.DeleteRoleInput) (*iam.DeleteRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if err := s.deletableRole(r); err != nil {
		return nil, err
	}
	delete(s.roles, key(*in.RoleName))
	return &iam.DeleteRoleOutput{}, nil
}

// deletableRole says why a role cannot be deleted yet, if it cannot.
func (s *Store) deletableRole(r *role) error {
	switch {
	case len(r.attached) > 0:
		return errDeleteConflict("Cannot delete entity, must detach all policies first.")
	case len(r.inline) > 0:
		return errDeleteConflict("Cannot delete entity, must delete policies first.")
	}
	for _, names := range s.profileRoles {
		if slices.Contains(names, *r.r.RoleName) {
			return errDeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
	}
	return nil
}

// TagRole adds or overwrites tags of a role.
func (s *Store) TagRole(_ context.Context, in *iam.TagRoleInput) (*iam.TagRoleOutput, error) {
	if err := s.tagEntity(in.RoleName, "roleName", in.Tags, roleTags); err != nil {
		return nil, err
	}
	return &iam.TagRoleOutput{}, nil
}

// UntagRole removes tags of a role by key.
func (s *Store) UntagRole(_ context.Context, in *iam.UntagRoleInput) (*iam.UntagRoleOutput, error) {
	if err := s.untagEntity(in.RoleName, "roleName", in.TagKeys, roleTags); err != nil {
		return nil, err
	}
	return &iam.UntagRoleOutput{}, nil
}

// ListRoleTags lists a role's tags.
func (s *Store) ListRoleTags(_ context.Context, in *iam.ListRoleTagsInput) (*iam.ListRoleTagsOutput, error) {
	items, truncated, marker, err := s.entityTags(in.RoleName, "roleName", in.Marker, in.MaxItems, roleTags)
	if err != nil {
		return nil, err
	}
	return &iam.ListRoleTagsOutput{Tags: items, IsTruncated: truncated, Marker: marker}, nil
}
