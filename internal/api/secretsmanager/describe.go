package secretsmanager

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// defaultKeyName is how version listings name the AWS managed key
// (aws/secretsmanager) that encrypts secrets without a KmsKeyId.
const defaultKeyName = "DefaultEncryptionKey"

// DescribeSecret shows a secret's metadata, also while it awaits
// deletion (DeletedDate), and which versions carry which labels.
func (s *Store) DescribeSecret(_ context.Context, in *secretsmanager.DescribeSecretInput) (*secretsmanager.DescribeSecretOutput, error) {
	unlock := s.lock()
	defer unlock()
	sec, err := s.lookup(in.SecretId)
	if err != nil {
		return nil, err
	}
	e := sec.listEntry()
	return &secretsmanager.DescribeSecretOutput{
		ARN: e.ARN, Name: e.Name, Description: e.Description, KmsKeyId: e.KmsKeyId,
		CreatedDate: e.CreatedDate, LastChangedDate: e.LastChangedDate, LastAccessedDate: e.LastAccessedDate,
		DeletedDate: e.DeletedDate, Tags: e.Tags, VersionIdsToStages: e.SecretVersionsToStages,
	}, nil
}

// listEntry is the secret as ListSecrets shows it; DescribeSecret shows
// the same members.
func (sec *secret) listEntry() types.SecretListEntry {
	e := types.SecretListEntry{
		ARN: ptr(sec.arn), Name: ptr(sec.name), Description: nonEmpty(sec.description), KmsKeyId: nonEmpty(sec.kmsKeyID),
		CreatedDate: ptr(sec.created), LastChangedDate: ptr(sec.changed), LastAccessedDate: timePtr(sec.accessed),
		DeletedDate: timePtr(sec.deleted),
	}
	if len(sec.tags) > 0 {
		e.Tags = sec.copyTags()
	}
	if len(sec.versions) > 0 {
		e.SecretVersionsToStages = sec.stagesMap()
	}
	return e
}

// ListSecretVersionIds lists a secret's versions, oldest first: those
// with staging labels, and with IncludeDeprecated also those without.
func (s *Store) ListSecretVersionIds(_ context.Context, in *secretsmanager.ListSecretVersionIdsInput) (*secretsmanager.ListSecretVersionIdsOutput, error) {
	unlock := s.lock()
	defer unlock()
	sec, err := s.lookup(in.SecretId)
	if err != nil {
		return nil, err
	}
	key := sec.kmsKeyID
	if key == "" {
		key = defaultKeyName
	}
	var entries []types.SecretVersionsListEntry
	for _, v := range sec.versions {
		if len(v.stages) == 0 && !deref(in.IncludeDeprecated) {
			continue
		}
		entries = append(entries, types.SecretVersionsListEntry{
			VersionId: ptr(v.id), VersionStages: slices.Clone(v.stages), CreatedDate: ptr(v.created),
			LastAccessedDate: timePtr(v.accessed), KmsKeyIds: []string{key},
		})
	}
	pg, next, err := page(entries, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &secretsmanager.ListSecretVersionIdsOutput{ARN: ptr(sec.arn), Name: ptr(sec.name), Versions: nonNil(pg), NextToken: next}, nil
}

// nonNil turns a nil slice into an empty one, for lists AWS always sends.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
