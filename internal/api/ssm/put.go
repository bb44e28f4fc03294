package ssm

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// PutParameter creates a parameter (version 1) or, with Overwrite, adds a
// version to it. An overwrite that omits Type, Tier, Description,
// AllowedPattern, KeyId or DataType keeps the current one.
//
// A parameter the emulator seeded (Bootstrap) is taken over by the first
// put that creates it, without Overwrite: that is how `cdk bootstrap`
// (CloudFormation creating /cdk-bootstrap/<qualifier>/version) replaces the
// seed instead of colliding with it.
func (s *Store) PutParameter(_ context.Context, in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
	if err := checkPut(in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	name := deref(in.Name)
	s.touch(name)
	p := s.params[name]
	if p != nil && p.seeded {
		delete(s.params, name)
		p = nil
	}
	if p != nil && !deref(in.Overwrite) {
		return nil, errAlreadyExists()
	}
	v, err := s.nextVersion(p, in)
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = &parameter{name: name, tags: mergeTags(nil, in.Tags)}
		s.params[name] = p
	} else if err := dropOldest(p); err != nil {
		return nil, err
	}
	p.versions = append(p.versions, v)
	return &ssm.PutParameterOutput{Version: v.number, Tier: v.tier}, nil
}

// checkPut validates what a put carries on its own, before the store is
// consulted.
func checkPut(in *ssm.PutParameterInput) error {
	if err := validName(deref(in.Name)); err != nil {
		return err
	}
	if in.Value == nil {
		return errRequired("value")
	}
	if err := validType(in.Type); err != nil {
		return err
	}
	if len(deref(in.Description)) > 1024 {
		return errConstraint(deref(in.Description), "description", "Member must have length less than or equal to 1024")
	}
	if len(deref(in.AllowedPattern)) > 1024 {
		return errConstraint(deref(in.AllowedPattern), "allowedPattern", "Member must have length less than or equal to 1024")
	}
	if err := validDataType(deref(in.DataType)); err != nil {
		return err
	}
	if deref(in.Overwrite) && len(in.Tags) > 0 {
		return errValidation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
	}
	return validTags(in.Tags)
}

// nextVersion builds the version a put adds to p (nil: a new parameter).
// Callers hold the lock.
func (s *Store) nextVersion(p *parameter, in *ssm.PutParameterInput) (*version, error) {
	prev := &version{dataType: defaultDataType}
	if p != nil {
		prev = p.latest()
	}
	v := &version{
		number: prev.number + 1, value: deref(in.Value), typ: in.Type,
		description: prev.description, allowedPattern: prev.allowedPattern, keyID: prev.keyID, dataType: prev.dataType,
		modified: s.timestamp(), user: s.user(),
	}
	switch {
	case v.typ == "" && p == nil:
		return nil, errValidation("A parameter type is required when you create a parameter.")
	case v.typ == "":
		v.typ = prev.typ
	case p != nil && v.typ != prev.typ:
		return nil, errTypeMismatch()
	}
	var err error
	if v.tier, err = chooseTier(in.Tier, prev.tier, v.value, deref(in.Policies) != ""); err != nil {
		return nil, err
	}
	if err := validValueSize(v.value, v.tier); err != nil {
		return nil, err
	}
	overlay(&v.description, in.Description)
	overlay(&v.allowedPattern, in.AllowedPattern)
	overlay(&v.dataType, in.DataType)
	overlay(&v.keyID, in.KeyId)
	if v.typ != types.ParameterTypeSecureString {
		v.keyID = ""
	} else if v.keyID == "" {
		v.keyID = defaultKeyID
	}
	if err := matchPattern(v.allowedPattern, v.value); err != nil {
		return nil, err
	}
	return v, nil
}

// overlay sets *dst to *src when the caller sent a value.
func overlay(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// dropOldest makes room for one more version: at the limit the oldest
// goes, unless a label holds it.
func dropOldest(p *parameter) error {
	if len(p.versions) < maxVersions {
		return nil
	}
	oldest := p.versions[0]
	if len(oldest.labels) > 0 {
		return errMaxVersions(p.name, oldest.number)
	}
	p.versions = slices.Clone(p.versions[1:])
	return nil
}
