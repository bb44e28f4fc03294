package iam

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// maxAccessKeys is IAM's quota of access keys per user.
const maxAccessKeys = 2

// accessKey is a user's long-term access key. The secret is only ever
// shown by CreateAccessKey.
type accessKey struct {
	userName string
	id       string
	status   types.StatusType
	created  time.Time
}

// keyUser resolves the UserName of an access key call: as given, or the
// user whose key signed the request. The caller holds the lock.
func (s *Store) keyUser(ctx context.Context, name *string) (*user, error) {
	if name != nil {
		return s.user(*name)
	}
	if u := s.caller(ctx); u != nil {
		return u, nil
	}
	return nil, errValidation("Must specify userName when calling with non-User credentials")
}

// CreateAccessKey issues an AKIA… key and its secret for a user.
func (s *Store) CreateAccessKey(ctx context.Context, in *iam.CreateAccessKeyInput) (*iam.CreateAccessKeyOutput, error) {
	var v violations
	if in.UserName != nil {
		v.name(in.UserName, "userName", 128)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	u, err := s.keyUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if len(s.userKeys(*u.u.UserName)) >= maxAccessKeys {
		return nil, errLimit("Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeys)
	}
	k := &accessKey{userName: *u.u.UserName, id: s.newID(accessKeyPrefix), status: types.StatusTypeActive, created: *s.timestamp()}
	s.touch(kindAccessKey, k.id)
	s.accessKeys[k.id] = k
	return &iam.CreateAccessKeyOutput{AccessKey: &types.AccessKey{
		AccessKeyId: ptr(k.id), SecretAccessKey: ptr(s.newSecret()), Status: k.status,
		UserName: ptr(k.userName), CreateDate: ptr(k.created),
	}}, nil
}

// userKeys lists a user's keys by creation; the caller holds the lock.
func (s *Store) userKeys(name string) []types.AccessKeyMetadata {
	out := []types.AccessKeyMetadata{}
	for _, k := range s.accessKeys {
		if strings.EqualFold(k.userName, name) {
			out = append(out, k.metadata())
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreateDate.Equal(*out[j].CreateDate) {
			return out[i].CreateDate.Before(*out[j].CreateDate)
		}
		return *out[i].AccessKeyId < *out[j].AccessKeyId
	})
	return out
}

func (k *accessKey) metadata() types.AccessKeyMetadata {
	return types.AccessKeyMetadata{AccessKeyId: ptr(k.id), CreateDate: ptr(k.created), Status: k.status, UserName: ptr(k.userName)}
}

// ListAccessKeys lists a user's keys, without secrets.
func (s *Store) ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput) (*iam.ListAccessKeysOutput, error) {
	var v violations
	if in.UserName != nil {
		v.name(in.UserName, "userName", 128)
	}
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	u, err := s.keyUser(ctx, in.UserName)
	var keys []types.AccessKeyMetadata
	if err == nil {
		keys = s.userKeys(*u.u.UserName)
	}
	s.unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAccessKeysOutput{AccessKeyMetadata: items, IsTruncated: truncated, Marker: marker}, nil
}

// userKey finds one of a user's keys; the caller holds the lock.
func (s *Store) userKey(ctx context.Context, name, id *string) (*accessKey, error) {
	u, err := s.keyUser(ctx, name)
	if err != nil {
		return nil, err
	}
	k, ok := s.accessKeys[*id]
	if !ok || !strings.EqualFold(k.userName, *u.u.UserName) {
		return nil, errNoSuchEntity("The Access Key with id %s cannot be found.", *id)
	}
	return k, nil
}

func checkKeyID(v *violations, id *string) {
	v.Required(id, "accessKeyId")
	v.Length(id, "accessKeyId", 16, 128)
	v.Pattern(id, "accessKeyId", keyIDRe, keyIDText)
}

// DeleteAccessKey deletes a user's key.
func (s *Store) DeleteAccessKey(ctx context.Context, in *iam.DeleteAccessKeyInput) (*iam.DeleteAccessKeyOutput, error) {
	var v violations
	if in.UserName != nil {
		v.name(in.UserName, "userName", 128)
	}
	checkKeyID(&v, in.AccessKeyId)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if _, err := s.userKey(ctx, in.UserName, in.AccessKeyId); err != nil {
		return nil, err
	}
	s.touch(kindAccessKey, *in.AccessKeyId)
	delete(s.accessKeys, *in.AccessKeyId)
	return &iam.DeleteAccessKeyOutput{}, nil
}

// UpdateAccessKey activates or deactivates a key (nothing is enforced:
// an inactive key still signs requests here).
func (s *Store) UpdateAccessKey(ctx context.Context, in *iam.UpdateAccessKeyInput) (*iam.UpdateAccessKeyOutput, error) {
	var v violations
	if in.UserName != nil {
		v.name(in.UserName, "userName", 128)
	}
	checkKeyID(&v, in.AccessKeyId)
	if !slices.Contains(types.StatusTypeActive.Values(), in.Status) {
		v.Add(in.Status, "status", "Member must satisfy enum value set: [Active, Inactive]")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	k, err := s.userKey(ctx, in.UserName, in.AccessKeyId)
	if err != nil {
		return nil, err
	}
	s.touch(kindAccessKey, k.id)
	k.status = in.Status
	return &iam.UpdateAccessKeyOutput{}, nil
}
