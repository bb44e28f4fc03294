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

// CreateInstanceProfile creates an empty instance profile.
func (s *Store) CreateInstanceProfile(_ context.Context, in *iam.CreateInstanceProfileInput) (*iam.CreateInstanceProfileOutput, error) {
	var v violations
	v.name(in.InstanceProfileName, "instanceProfileName", 128)
	v.path(in.Path, "path")
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := *in.InstanceProfileName
	if _, ok := s.profiles[key(name)]; ok {
		return nil, errExists("Instance Profile %s already exists.", name)
	}
	path := pathOr(in.Path)
	s.touch(kindProfile, key(name))
	s.profiles[key(name)] = &types.InstanceProfile{
		Arn:                 ptr(s.arn("instance-profile", path, name)),
		CreateDate:          s.timestamp(),
		InstanceProfileId:   ptr(s.newID(profilePrefix)),
		InstanceProfileName: ptr(name),
		Path:                ptr(path),
		Tags:                tags,
	}
	return &iam.CreateInstanceProfileOutput{InstanceProfile: s.profileView(name)}, nil
}

// profileView is an instance profile with its roles as List* show roles;
// the caller holds the lock.
func (s *Store) profileView(name string) *types.InstanceProfile {
	out := clone.Of(*s.profiles[key(name)])
	out.Roles = []types.Role{}
	for _, rn := range s.profileRoles[key(name)] {
		if r, ok := s.roles[key(rn)]; ok {
			out.Roles = append(out.Roles, r.listed())
		}
	}
	return &out
}

// profile finds an instance profile; the caller holds the lock.
func (s *Store) profile(name string) error {
	if _, ok := s.profiles[key(name)]; !ok {
		return errProfileNotFound(name)
	}
	return nil
}

// GetInstanceProfile returns an instance profile with its role.
func (s *Store) GetInstanceProfile(_ context.Context, in *iam.GetInstanceProfileInput) (*iam.GetInstanceProfileOutput, error) {
	var v violations
	v.name(in.InstanceProfileName, "instanceProfileName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if err := s.profile(*in.InstanceProfileName); err != nil {
		return nil, err
	}
	return &iam.GetInstanceProfileOutput{InstanceProfile: s.profileView(*in.InstanceProfileName)}, nil
}

// DeleteInstanceProfile deletes an instance profile without roles.
func (s *Store) DeleteInstanceProfile(_ context.Context, in *iam.DeleteInstanceProfileInput) (*iam.DeleteInstanceProfileOutput, error) {
	var v violations
	v.name(in.InstanceProfileName, "instanceProfileName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := *in.InstanceProfileName
	if err := s.profile(name); err != nil {
		return nil, err
	}
	if len(s.profileRoles[key(name)]) > 0 {
		return nil, errDeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
	}
	s.touch(kindProfile, key(name))
	delete(s.profiles, key(name))
	delete(s.profileRoles, key(name))
	return &iam.DeleteInstanceProfileOutput{}, nil
}

// AddRoleToInstanceProfile puts the (one) role into an instance profile.
func (s *Store) AddRoleToInstanceProfile(_ context.Context, in *iam.AddRoleToInstanceProfileInput) (*iam.AddRoleToInstanceProfileOutput, error) {
	var v violations
	v.name(in.InstanceProfileName, "instanceProfileName", 128)
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := *in.InstanceProfileName
	if err := s.profile(name); err != nil {
		return nil, err
	}
	r, err := s.role(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if len(s.profileRoles[key(name)]) > 0 {
		return nil, errLimit("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	}
	s.touch(kindProfile, key(name))
	s.profileRoles[key(name)] = []string{*r.r.RoleName}
	return &iam.AddRoleToInstanceProfileOutput{}, nil
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile.
func (s *Store) RemoveRoleFromInstanceProfile(_ context.Context, in *iam.RemoveRoleFromInstanceProfileInput) (*iam.RemoveRoleFromInstanceProfileOutput, error) {
	var v violations
	v.name(in.InstanceProfileName, "instanceProfileName", 128)
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := *in.InstanceProfileName
	if err := s.profile(name); err != nil {
		return nil, err
	}
	roles := s.profileRoles[key(name)]
	i := slices.IndexFunc(roles, func(rn string) bool { return strings.EqualFold(rn, *in.RoleName) })
	if i < 0 {
		return nil, errRoleNotFound(*in.RoleName)
	}
	s.touch(kindProfile, key(name))
	s.profileRoles[key(name)] = slices.Delete(roles, i, i+1)
	return &iam.RemoveRoleFromInstanceProfileOutput{}, nil
}

// ListInstanceProfiles lists instance profiles by name under a path prefix.
func (s *Store) ListInstanceProfiles(_ context.Context, in *iam.ListInstanceProfilesInput) (*iam.ListInstanceProfilesOutput, error) {
	var v violations
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	list := s.listProfiles(func(p *types.InstanceProfile) bool { return strings.HasPrefix(*p.Path, deref(in.PathPrefix)) })
	s.unlock()
	items, truncated, marker, err := page(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfilesOutput{InstanceProfiles: items, IsTruncated: truncated, Marker: marker}, nil
}

// ListInstanceProfilesForRole lists the instance profiles holding a role.
func (s *Store) ListInstanceProfilesForRole(_ context.Context, in *iam.ListInstanceProfilesForRoleInput) (*iam.ListInstanceProfilesForRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	r, err := s.role(*in.RoleName)
	var list []types.InstanceProfile
	if err == nil {
		list = s.listProfiles(func(p *types.InstanceProfile) bool {
			return slices.Contains(s.profileRoles[key(*p.InstanceProfileName)], *r.r.RoleName)
		})
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfilesForRoleOutput{InstanceProfiles: items, IsTruncated: truncated, Marker: marker}, nil
}

// listProfiles lists the matching instance profiles by name, without
// tags; the caller holds the lock.
func (s *Store) listProfiles(match func(*types.InstanceProfile) bool) []types.InstanceProfile {
	out := []types.InstanceProfile{}
	for _, p := range s.profiles {
		if match(p) {
			view := s.profileView(*p.InstanceProfileName)
			view.Tags = nil
			out = append(out, *view)
		}
	}
	sort.Slice(out, func(i, j int) bool { return *out[i].InstanceProfileName < *out[j].InstanceProfileName })
	return out
}
