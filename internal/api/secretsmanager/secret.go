package secretsmanager

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

const maxDescription = 2048

func validDescription(d *string) error {
	if d != nil && len(*d) > maxDescription {
		return errConstraint(*d, "description", "Member must have length less than or equal to 2048")
	}
	return nil
}

// CreateSecret creates a secret, with a first version (AWSCURRENT) when
// it carries a value. A retry with the same ClientRequestToken and value
// answers as the first call did.
func (s *Store) CreateSecret(_ context.Context, in *secretsmanager.CreateSecretInput) (*secretsmanager.CreateSecretOutput, error) {
	if err := validName(in.Name); err != nil {
		return nil, err
	}
	val, err := checkValue(in.SecretString, in.SecretBinary, in.ClientRequestToken)
	if err != nil {
		return nil, err
	}
	if err := validDescription(in.Description); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	if old := s.secrets[*in.Name]; old != nil {
		return retriedCreate(old, val, in.ClientRequestToken)
	}
	now := s.timestamp()
	sec := &secret{
		arn: s.newARN(*in.Name), name: *in.Name, description: deref(in.Description), kmsKeyID: deref(in.KmsKeyId),
		tags: mergeTags(nil, in.Tags), created: now, changed: now,
	}
	out := &secretsmanager.CreateSecretOutput{ARN: ptr(sec.arn), Name: ptr(sec.name)}
	if !val.empty() {
		v, err := s.putValue(sec, val, in.ClientRequestToken, nil)
		if err != nil {
			return nil, err
		}
		out.VersionId = ptr(v.id)
	}
	s.touch(sec.name)
	s.secrets[sec.name] = sec
	return out, nil
}

// retriedCreate answers a CreateSecret for a name that is taken: the
// same answer again for a retry of the call that created it, else
// ResourceExistsException (or InvalidRequestException while the name's
// secret awaits deletion).
func retriedCreate(old *secret, val newValue, token *string) (*secretsmanager.CreateSecretOutput, error) {
	if old.isDeleted() {
		return nil, errScheduledForDeletion()
	}
	if token != nil && !val.empty() {
		if v := old.byID(*token); v != nil && v.sameValue(val.str, val.bin) {
			return &secretsmanager.CreateSecretOutput{ARN: ptr(old.arn), Name: ptr(old.name), VersionId: ptr(v.id)}, nil
		}
	}
	return nil, errExists(old.name)
}

// UpdateSecret changes a secret's description or key and, with a value,
// adds a version that becomes AWSCURRENT.
func (s *Store) UpdateSecret(_ context.Context, in *secretsmanager.UpdateSecretInput) (*secretsmanager.UpdateSecretOutput, error) {
	val, err := checkValue(in.SecretString, in.SecretBinary, in.ClientRequestToken)
	if err != nil {
		return nil, err
	}
	if err := validDescription(in.Description); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	s.touch(sec.name)
	out := &secretsmanager.UpdateSecretOutput{ARN: ptr(sec.arn), Name: ptr(sec.name)}
	if !val.empty() {
		v, err := s.putValue(sec, val, in.ClientRequestToken, nil)
		if err != nil {
			return nil, err
		}
		out.VersionId = ptr(v.id)
	}
	if in.Description != nil {
		sec.description = *in.Description
	}
	if in.KmsKeyId != nil {
		sec.kmsKeyID = *in.KmsKeyId
	}
	sec.changed = s.timestamp()
	return out, nil
}

// UpdateSecretVersionStage moves a staging label: onto MoveToVersionId,
// off RemoveFromVersionId, or both. A label attached elsewhere can only be
// moved by naming the version it leaves.
func (s *Store) UpdateSecretVersionStage(_ context.Context, in *secretsmanager.UpdateSecretVersionStageInput) (*secretsmanager.UpdateSecretVersionStageOutput, error) {
	if in.VersionStage == nil {
		return nil, errRequired("versionStage")
	}
	stage := *in.VersionStage
	if err := validStage(stage, "versionStage"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	from, to, err := stageMove(sec, stage, in.RemoveFromVersionId, in.MoveToVersionId)
	if err != nil {
		return nil, err
	}
	s.touch(sec.name)
	switch {
	case to != nil:
		sec.attach(to, stage)
	case from != nil:
		from.detach(stage)
	}
	sec.changed = s.timestamp()
	return &secretsmanager.UpdateSecretVersionStageOutput{ARN: ptr(sec.arn), Name: ptr(sec.name)}, nil
}

// stageMove checks a label move against the versions it names.
func stageMove(sec *secret, stage string, fromID, toID *string) (from, to *version, err error) {
	holder := sec.byStage(stage)
	if fromID != nil {
		if from = sec.byID(*fromID); from == nil || from != holder {
			return nil, nil, errInvalidParameter("The staging label %s is not attached to the version %s.", stage, *fromID)
		}
	}
	if toID == nil {
		if from == nil {
			return nil, nil, errInvalidParameter("You must specify at least one of MoveToVersionId and RemoveFromVersionId.")
		}
		return from, nil, nil
	}
	if to = sec.byID(*toID); to == nil {
		return nil, nil, errNoValue("VersionId", *toID)
	}
	if holder != nil && holder != to && from == nil {
		return nil, nil, errInvalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", stage, holder.id)
	}
	if holder != to && len(to.stages) >= maxStages {
		return nil, nil, errLimit("A version can have at most %d staging labels.", maxStages)
	}
	return from, to, nil
}
