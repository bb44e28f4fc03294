package secretsmanager

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// maxValue is the largest SecretString or SecretBinary, 64 KiB.
const maxValue = 65536

// newValue is the value a Create, Put or Update call carries: nil when it
// carries none.
type newValue struct {
	str *string
	bin []byte
}

func (n newValue) empty() bool { return n.str == nil && n.bin == nil }

// checkValue validates a request's value and ClientRequestToken.
func checkValue(str *string, bin []byte, token *string) (newValue, error) {
	if str != nil && bin != nil {
		return newValue{}, errInvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	if str != nil && len(*str) > maxValue {
		return newValue{}, errConstraint("***", "secretString", "Member must have length less than or equal to 65536")
	}
	if bin != nil && (len(bin) == 0 || len(bin) > maxValue) {
		return newValue{}, errConstraint("***", "secretBinary", "Member must have length between 1 and 65536")
	}
	if token != nil && (len(*token) < 32 || len(*token) > 64) {
		return newValue{}, errConstraint(*token, "clientRequestToken", "Member must have length between 32 and 64")
	}
	return newValue{str: str, bin: slices.Clone(bin)}, nil
}

// putValue adds the version a request asks for, with ID token (or a new
// one), and returns it. A retry with a token already used for the same
// value changes nothing; for another value it fails. Callers hold the
// lock.
func (s *Store) putValue(sec *secret, val newValue, token *string, stages []string) (*version, error) {
	if token != nil {
		if v := sec.byID(*token); v != nil {
			if !v.sameValue(val.str, val.bin) {
				return nil, errVersionExists()
			}
			return v, nil
		}
	}
	id := deref(token)
	if id == "" {
		id = s.newVersionID()
	}
	now := s.timestamp()
	v := &version{id: id, str: val.str, bin: val.bin, created: now}
	s.touch(sec.name)
	sec.addVersion(v, stages)
	sec.changed = now
	return v, nil
}

// GetSecretValue reads a version: the one VersionId names, or the one
// carrying VersionStage (AWSCURRENT by default).
func (s *Store) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput) (*secretsmanager.GetSecretValueOutput, error) {
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	v, err := pick(sec, in.VersionId, in.VersionStage)
	if err != nil {
		return nil, err
	}
	day := s.now().UTC().Truncate(24 * time.Hour)
	if !v.accessed.Equal(day) || !sec.accessed.Equal(day) {
		s.touch(sec.name) // at most once a day: reads stay reads
		v.accessed, sec.accessed = day, day
	}
	return &secretsmanager.GetSecretValueOutput{
		ARN: ptr(sec.arn), Name: ptr(sec.name), VersionId: ptr(v.id), VersionStages: slices.Clone(v.stages),
		SecretString: v.str, SecretBinary: slices.Clone(v.bin), CreatedDate: ptr(v.created),
	}, nil
}

// pick finds the version a read names. Callers hold the lock.
func pick(sec *secret, versionID, stage *string) (*version, error) {
	if versionID != nil {
		v := sec.byID(*versionID)
		if v == nil {
			return nil, errNoValue("VersionId", *versionID)
		}
		if stage != nil && !v.has(*stage) {
			return nil, errInvalidRequest("You provided a VersionStage that is not associated to the provided VersionId.")
		}
		return v, nil
	}
	label := deref(stage)
	if label == "" {
		label = stageCurrent
	}
	v := sec.byStage(label)
	if v == nil {
		return nil, errNoValue("staging label", label)
	}
	return v, nil
}

// PutSecretValue adds a version; it becomes AWSCURRENT unless
// VersionStages names other labels.
func (s *Store) PutSecretValue(_ context.Context, in *secretsmanager.PutSecretValueInput) (*secretsmanager.PutSecretValueOutput, error) {
	val, err := checkValue(in.SecretString, in.SecretBinary, in.ClientRequestToken)
	if err != nil {
		return nil, err
	}
	if err := validStages(in.VersionStages); err != nil {
		return nil, err
	}
	if val.empty() {
		return nil, errInvalidRequest("You must provide either SecretString or SecretBinary.")
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	v, err := s.putValue(sec, val, in.ClientRequestToken, in.VersionStages)
	if err != nil {
		return nil, err
	}
	return &secretsmanager.PutSecretValueOutput{ARN: ptr(sec.arn), Name: ptr(sec.name), VersionId: ptr(v.id), VersionStages: slices.Clone(v.stages)}, nil
}
