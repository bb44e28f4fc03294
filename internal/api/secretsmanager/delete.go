package secretsmanager

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The recovery window of DeleteSecret: 7 to 30 days, 30 by default.
const (
	minRecoveryDays     = 7
	maxRecoveryDays     = 30
	defaultRecoveryDays = 30
)

// DeleteSecret schedules a secret's deletion after a recovery window,
// during which RestoreSecret brings it back and most operations refuse
// it; ForceDeleteWithoutRecovery deletes it at once.
func (s *Store) DeleteSecret(_ context.Context, in *secretsmanager.DeleteSecretInput) (*secretsmanager.DeleteSecretOutput, error) {
	force := deref(in.ForceDeleteWithoutRecovery)
	days, err := recoveryWindow(in.RecoveryWindowInDays, force)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.lookup(in.SecretId)
	now := s.timestamp()
	if err != nil {
		return forceDeleteMissing(s, in.SecretId, force, now, err)
	}
	if force {
		s.touch(sec.name)
		delete(s.secrets, sec.name)
		return &secretsmanager.DeleteSecretOutput{ARN: ptr(sec.arn), Name: ptr(sec.name), DeletionDate: ptr(now)}, nil
	}
	if sec.isDeleted() {
		return nil, errMarkedForDeletion()
	}
	s.touch(sec.name)
	sec.deleted = now
	sec.purgeAt = now.Add(time.Duration(days) * 24 * time.Hour)
	return &secretsmanager.DeleteSecretOutput{ARN: ptr(sec.arn), Name: ptr(sec.name), DeletionDate: ptr(sec.purgeAt)}, nil
}

// recoveryWindow checks DeleteSecret's options and returns the window in
// days.
func recoveryWindow(days *int64, force bool) (int64, error) {
	if force && days != nil {
		return 0, errInvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	if days == nil {
		return defaultRecoveryDays, nil
	}
	if *days < minRecoveryDays || *days > maxRecoveryDays {
		return 0, errInvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	return *days, nil
}

// forceDeleteMissing answers a DeleteSecret for a secret that does not
// exist: a forced deletion succeeds anyway (AWS does not say whether the
// secret existed), anything else fails with the lookup's error.
func forceDeleteMissing(s *Store, id *string, force bool, now time.Time, lookupErr error) (*secretsmanager.DeleteSecretOutput, error) {
	if !force || id == nil || *id == "" {
		return nil, lookupErr
	}
	name, arn := *id, *id
	if rest, ok := cutARN(*id, s.region, s.account); ok {
		name = rest
	} else {
		arn = s.newARN(name)
	}
	return &secretsmanager.DeleteSecretOutput{ARN: ptr(arn), Name: ptr(name), DeletionDate: ptr(now)}, nil
}

// RestoreSecret cancels a scheduled deletion.
func (s *Store) RestoreSecret(_ context.Context, in *secretsmanager.RestoreSecretInput) (*secretsmanager.RestoreSecretOutput, error) {
	unlock := s.lock()
	defer unlock()
	sec, err := s.lookup(in.SecretId)
	if err != nil {
		return nil, err
	}
	s.touch(sec.name)
	sec.deleted, sec.purgeAt = time.Time{}, time.Time{}
	return &secretsmanager.RestoreSecretOutput{ARN: ptr(sec.arn), Name: ptr(sec.name)}, nil
}
