package iam

import (
	"context"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// maxAttached is IAM's default quota of managed policies per role or user.
const maxAttached = 10

// attach adds a managed policy to p: a customer managed policy of this
// account, or any AWS-owned one. Attaching twice changes nothing, as in
// IAM. The caller holds the lock.
func (s *Store) attach(p *policies, arn, quota string) error {
	if _, ok := s.policies[arn]; !ok && !isAWSPolicyARN(arn) {
		if !strings.HasPrefix(arn, "arn:aws:iam::") {
			return errInvalidInput("ARN %s is not valid.", arn)
		}
		return errPolicyNotFound(arn)
	}
	if slices.Contains(p.attached, arn) {
		return nil
	}
	if len(p.attached) >= maxAttached {
		return errLimit("Cannot exceed quota for %s: %d", quota, maxAttached)
	}
	p.attached = append(p.attached, arn)
	s.attachments[arn]++
	return nil
}

// detach removes a managed policy from p; the caller holds the lock.
func (s *Store) detach(p *policies, arn string) error {
	i := slices.Index(p.attached, arn)
	if i < 0 {
		return errNoSuchEntity("Policy %s was not found.", arn)
	}
	p.attached = slices.Delete(p.attached, i, i+1)
	s.attachments[arn]--
	return nil
}

// attachedPolicies lists p's managed policies under a path prefix; the
// caller holds the lock.
func (s *Store) attachedPolicies(p *policies, prefix string) []types.AttachedPolicy {
	out := []types.AttachedPolicy{}
	for _, arn := range p.attached {
		policyPath := "/"
		if mp, ok := s.policies[arn]; ok {
			policyPath = *mp.p.Path
		} else if rest, ok := strings.CutPrefix(arn, awsPolicyARNPrefix); ok {
			policyPath = "/" + strings.TrimSuffix(rest, path.Base(rest))
		}
		if strings.HasPrefix(policyPath, prefix) {
			out = append(out, types.AttachedPolicy{PolicyArn: ptr(arn), PolicyName: ptr(path.Base(arn))})
		}
	}
	return out
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Store) AttachRolePolicy(_ context.Context, in *iam.AttachRolePolicyInput) (*iam.AttachRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if err := s.attach(&r.policies, *in.PolicyArn, "PoliciesPerRole"); err != nil {
		return nil, err
	}
	return &iam.AttachRolePolicyOutput{}, nil
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Store) DetachRolePolicy(_ context.Context, in *iam.DetachRolePolicyInput) (*iam.DetachRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if err := s.detach(&r.policies, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.DetachRolePolicyOutput{}, nil
}

// ListAttachedRolePolicies lists a role's managed policies.
func (s *Store) ListAttachedRolePolicies(_ context.Context, in *iam.ListAttachedRolePoliciesInput) (*iam.ListAttachedRolePoliciesOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	r, err := s.role(*in.RoleName)
	var list []types.AttachedPolicy
	if err == nil {
		list = s.attachedPolicies(&r.policies, deref(in.PathPrefix))
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: items, IsTruncated: truncated, Marker: marker}, nil
}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Store) AttachUserPolicy(_ context.Context, in *iam.AttachUserPolicyInput) (*iam.AttachUserPolicyOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	s.touch(kindUser, key(*in.UserName))
	if err := s.attach(&u.policies, *in.PolicyArn, "PoliciesPerUser"); err != nil {
		return nil, err
	}
	return &iam.AttachUserPolicyOutput{}, nil
}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Store) DetachUserPolicy(_ context.Context, in *iam.DetachUserPolicyInput) (*iam.DetachUserPolicyOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	s.touch(kindUser, key(*in.UserName))
	if err := s.detach(&u.policies, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.DetachUserPolicyOutput{}, nil
}

// ListAttachedUserPolicies lists a user's managed policies.
func (s *Store) ListAttachedUserPolicies(_ context.Context, in *iam.ListAttachedUserPoliciesInput) (*iam.ListAttachedUserPoliciesOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	u, err := s.user(*in.UserName)
	var list []types.AttachedPolicy
	if err == nil {
		list = s.attachedPolicies(&u.policies, deref(in.PathPrefix))
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: items, IsTruncated: truncated, Marker: marker}, nil
}
