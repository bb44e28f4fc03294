package iam

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// maxPolicyVersions is IAM's quota of versions per managed policy.
const maxPolicyVersions = 5

// managedPolicy is a customer managed policy with its versions (documents
// as sent, newest last).
type managedPolicy struct {
	p        types.Policy
	versions []types.PolicyVersion
	next     int // number of the next version
}

// view is the copy of the policy returned to callers.
func (s *Store) policyView(p *managedPolicy) types.Policy {
	out := clone.Of(p.p)
	out.AttachmentCount = ptr(int32(s.attachments[*p.p.Arn]))
	out.PermissionsBoundaryUsageCount = ptr(s.boundaryUses(*p.p.Arn))
	return out
}

// CreatePolicy creates a customer managed policy with version v1.
func (s *Store) CreatePolicy(_ context.Context, in *iam.CreatePolicyInput) (*iam.CreatePolicyOutput, error) {
	var v violations
	v.name(in.PolicyName, "policyName", 128)
	v.path(in.Path, "path")
	v.document(in.PolicyDocument, "policyDocument")
	v.Length(in.Description, "description", 0, 1000)
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDocument(*in.PolicyDocument); err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	for _, p := range s.policies {
		if strings.EqualFold(*p.p.PolicyName, *in.PolicyName) {
			return nil, errExists("A policy called %s already exists. Duplicate names are not allowed.", *in.PolicyName)
		}
	}
	path, now := pathOr(in.Path), s.timestamp()
	p := &managedPolicy{p: types.Policy{
		Arn:                           ptr(s.arn("policy", path, *in.PolicyName)),
		CreateDate:                    now,
		DefaultVersionId:              ptr("v1"),
		Description:                   in.Description,
		IsAttachable:                  true,
		Path:                          ptr(path),
		PermissionsBoundaryUsageCount: ptr(int32(0)),
		PolicyId:                      ptr(s.newID(policyPrefix)),
		PolicyName:                    ptr(*in.PolicyName),
		UpdateDate:                    now,
		Tags:                          tags,
	}, next: 2}
	p.versions = []types.PolicyVersion{{CreateDate: now, Document: ptr(*in.PolicyDocument), IsDefaultVersion: true, VersionId: ptr("v1")}}
	s.policies[*p.p.Arn] = p
	s.touch(kindPolicy, *p.p.Arn)
	out := s.policyView(p)
	out.Description = nil // CreatePolicy does not echo it
	return &iam.CreatePolicyOutput{Policy: &out}, nil
}

// checkPolicyARN validates a PolicyArn member.
func checkPolicyARN(v *violations, arn *string) {
	v.Required(arn, "policyArn")
	v.Length(arn, "policyArn", 20, 2048)
}

// localPolicy finds a customer managed policy; the caller holds the lock.
func (s *Store) localPolicy(arn string) (*managedPolicy, error) {
	if !strings.HasPrefix(arn, "arn:aws:iam::") {
		return nil, errInvalidInput("ARN %s is not valid.", arn)
	}
	p, ok := s.policies[arn]
	if !ok {
		return nil, errPolicyNotFound(arn)
	}
	return p, nil
}

// GetPolicy returns a customer managed policy or a catalogued AWS one.
func (s *Store) GetPolicy(_ context.Context, in *iam.GetPolicyInput) (*iam.GetPolicyOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if ap, ok := lookupAWSPolicy(*in.PolicyArn); ok {
		out := ap.policy(s.attachments[*in.PolicyArn])
		out.PermissionsBoundaryUsageCount = ptr(s.boundaryUses(*in.PolicyArn))
		return &iam.GetPolicyOutput{Policy: &out}, nil
	}
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	out := s.policyView(p)
	return &iam.GetPolicyOutput{Policy: &out}, nil
}

// version finds a version of a policy.
func (p *managedPolicy) version(id string) (int, error) {
	i := slices.IndexFunc(p.versions, func(v types.PolicyVersion) bool { return *v.VersionId == id })
	if i < 0 {
		return 0, errNoSuchEntity("Policy %s version %s does not exist or is not attachable.", *p.p.Arn, id)
	}
	return i, nil
}

// GetPolicyVersion returns one version of a policy, its document
// URL-encoded as IAM returns it.
func (s *Store) GetPolicyVersion(_ context.Context, in *iam.GetPolicyVersionInput) (*iam.GetPolicyVersionOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	v.Required(in.VersionId, "versionId")
	v.Pattern(in.VersionId, "versionId", versionIDRe, versionText)
	if err := v.err(); err != nil {
		return nil, err
	}
	if ap, ok := lookupAWSPolicy(*in.PolicyArn); ok {
		if *in.VersionId != ap.version {
			return nil, errNoSuchEntity("Policy %s version %s does not exist or is not attachable.", *in.PolicyArn, *in.VersionId)
		}
		return &iam.GetPolicyVersionOutput{PolicyVersion: &types.PolicyVersion{
			CreateDate: ptr(awsPolicyDate), Document: ptr(encodeDocument(ap.document)), IsDefaultVersion: true, VersionId: ptr(ap.version),
		}}, nil
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	i, err := p.version(*in.VersionId)
	if err != nil {
		return nil, err
	}
	out := clone.Of(p.versions[i])
	out.Document = ptr(encodeDocument(*out.Document))
	return &iam.GetPolicyVersionOutput{PolicyVersion: &out}, nil
}

// CreatePolicyVersion adds a version, the default one if SetAsDefault.
func (s *Store) CreatePolicyVersion(_ context.Context, in *iam.CreatePolicyVersionInput) (*iam.CreatePolicyVersionOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	v.document(in.PolicyDocument, "policyDocument")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDocument(*in.PolicyDocument); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	s.touch(kindPolicy, *in.PolicyArn)
	if len(p.versions) >= maxPolicyVersions {
		return nil, errLimit("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxPolicyVersions)
	}
	ver := types.PolicyVersion{CreateDate: s.timestamp(), Document: ptr(*in.PolicyDocument), VersionId: ptr(fmt.Sprintf("v%d", p.next))}
	p.next++
	p.versions = append(p.versions, ver)
	if in.SetAsDefault {
		p.setDefault(len(p.versions)-1, ver.CreateDate)
	}
	out := clone.Of(p.versions[len(p.versions)-1])
	out.Document = nil
	return &iam.CreatePolicyVersionOutput{PolicyVersion: &out}, nil
}

// setDefault makes version i the default.
func (p *managedPolicy) setDefault(i int, at *time.Time) {
	for j := range p.versions {
		p.versions[j].IsDefaultVersion = j == i
	}
	p.p.DefaultVersionId = ptr(*p.versions[i].VersionId)
	p.p.UpdateDate = at
}

// DeletePolicyVersion deletes a version other than the default.
func (s *Store) DeletePolicyVersion(_ context.Context, in *iam.DeletePolicyVersionInput) (*iam.DeletePolicyVersionOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	v.Required(in.VersionId, "versionId")
	v.Pattern(in.VersionId, "versionId", versionIDRe, versionText)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	s.touch(kindPolicy, *in.PolicyArn)
	i, err := p.version(*in.VersionId)
	if err != nil {
		return nil, err
	}
	if p.versions[i].IsDefaultVersion {
		return nil, errDeleteConflict("Cannot delete the default version of a policy.")
	}
	p.versions = slices.Delete(p.versions, i, i+1)
	return &iam.DeletePolicyVersionOutput{}, nil
}

// ListPolicyVersions lists a policy's versions, newest first, without
// their documents.
func (s *Store) ListPolicyVersions(_ context.Context, in *iam.ListPolicyVersionsInput) (*iam.ListPolicyVersionsOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	var versions []types.PolicyVersion
	if ap, ok := lookupAWSPolicy(*in.PolicyArn); ok {
		versions = []types.PolicyVersion{{CreateDate: ptr(awsPolicyDate), IsDefaultVersion: true, VersionId: ptr(ap.version)}}
	} else {
		s.mu.Lock()
		p, err := s.localPolicy(*in.PolicyArn)
		if err == nil {
			versions = clone.Of(p.versions)
		}
		s.unlock()
		if err != nil {
			return nil, err
		}
		slices.Reverse(versions)
		for i := range versions {
			versions[i].Document = nil
		}
	}
	items, truncated, marker, err := page(versions, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListPolicyVersionsOutput{Versions: items, IsTruncated: truncated, Marker: marker}, nil
}

// SetDefaultPolicyVersion makes a version the one in effect.
func (s *Store) SetDefaultPolicyVersion(_ context.Context, in *iam.SetDefaultPolicyVersionInput) (*iam.SetDefaultPolicyVersionOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	v.Required(in.VersionId, "versionId")
	v.Pattern(in.VersionId, "versionId", versionIDRe, versionText)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	s.touch(kindPolicy, *in.PolicyArn)
	i, err := p.version(*in.VersionId)
	if err != nil {
		return nil, err
	}
	p.setDefault(i, s.timestamp())
	return &iam.SetDefaultPolicyVersionOutput{}, nil
}

// ListPolicies lists managed policies by name: the account's (Scope
// Local), the catalogued AWS ones (Scope AWS) or both (All, the default).
func (s *Store) ListPolicies(_ context.Context, in *iam.ListPoliciesInput) (*iam.ListPoliciesOutput, error) {
	var v violations
	v.pathPrefix(in.PathPrefix, "pathPrefix")
	v.maxItems(in.MaxItems)
	scope := string(in.Scope)
	if scope != "" && !slices.Contains([]string{"All", "AWS", "Local"}, scope) {
		v.Add(scope, "scope", "Member must satisfy enum value set: [All, AWS, Local]")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var out []types.Policy
	if scope != "Local" {
		for _, ap := range awsPolicies {
			out = append(out, ap.policy(s.attachments[ap.arn()]))
		}
	}
	if scope != "AWS" {
		for _, p := range s.policies {
			view := s.policyView(p)
			view.Tags, view.Description = nil, nil
			out = append(out, view)
		}
	}
	s.unlock()
	out = slices.DeleteFunc(out, func(p types.Policy) bool {
		return !strings.HasPrefix(*p.Path, deref(in.PathPrefix)) || (in.OnlyAttached && *p.AttachmentCount == 0)
	})
	for i := range out {
		out[i].Description = nil // ListPolicies leaves descriptions out
	}
	sort.SliceStable(out, func(i, j int) bool { return *out[i].PolicyName < *out[j].PolicyName })
	items, truncated, marker, err := page(out, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListPoliciesOutput{Policies: items, IsTruncated: truncated, Marker: marker}, nil
}

// DeletePolicy deletes a customer managed policy that is attached to
// nothing and has only its default version left.
func (s *Store) DeletePolicy(_ context.Context, in *iam.DeletePolicyInput) (*iam.DeletePolicyOutput, error) {
	var v violations
	checkPolicyARN(&v, in.PolicyArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.localPolicy(*in.PolicyArn)
	if err != nil {
		return nil, err
	}
	s.touch(kindPolicy, *in.PolicyArn)
	switch {
	case s.attachments[*in.PolicyArn] > 0:
		return nil, errDeleteConflict("Cannot delete a policy attached to entities.")
	case len(p.versions) > 1:
		return nil, errDeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	}
	delete(s.policies, *in.PolicyArn)
	return &iam.DeletePolicyOutput{}, nil
}
