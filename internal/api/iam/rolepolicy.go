package iam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// PutRolePolicy adds or replaces an inline policy of a role. CloudFormation's
// AWS::IAM::Policy is this call for each of its Roles.
func (s *Store) PutRolePolicy(_ context.Context, in *iam.PutRolePolicyInput) (*iam.PutRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	checkInline(&v, in.PolicyName, in.PolicyDocument)
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
	r.inline[*in.PolicyName] = *in.PolicyDocument
	return &iam.PutRolePolicyOutput{}, nil
}

// GetRolePolicy returns an inline policy, its document URL-encoded as IAM
// returns it.
func (s *Store) GetRolePolicy(_ context.Context, in *iam.GetRolePolicyInput) (*iam.GetRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.name(in.PolicyName, "policyName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.role(*in.RoleName)
	if err != nil {
		return nil, err
	}
	doc, ok := r.inline[*in.PolicyName]
	if !ok {
		return nil, errNoSuchEntity("The role policy with name %s cannot be found.", *in.PolicyName)
	}
	return &iam.GetRolePolicyOutput{RoleName: r.r.RoleName, PolicyName: in.PolicyName, PolicyDocument: ptr(encodeDocument(doc))}, nil
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Store) ListRolePolicies(_ context.Context, in *iam.ListRolePoliciesInput) (*iam.ListRolePoliciesOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	r, err := s.role(*in.RoleName)
	var names []string
	if err == nil {
		names = r.inlineNames()
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: items, IsTruncated: truncated, Marker: marker}, nil
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Store) DeleteRolePolicy(_ context.Context, in *iam.DeleteRolePolicyInput) (*iam.DeleteRolePolicyOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	v.name(in.PolicyName, "policyName", 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.modifiableRole(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if _, ok := r.inline[*in.PolicyName]; !ok {
		return nil, errNoSuchEntity("The role policy with name %s cannot be found.", *in.PolicyName)
	}
	delete(r.inline, *in.PolicyName)
	return &iam.DeleteRolePolicyOutput{}, nil
}
