package iam

import (
	"crypto/tls"
	"fmt"
	"strings"

	"github.com/localaws/ecsemu/internal/api/sts"
)

// API is STS's directory of users' access keys and roles.
var _ sts.Directory = (*API)(nil)

// AccessKeyUser finds the user owning a long-term access key in any
// account (sts.Directory).
func (a *API) AccessKeyUser(accessKeyID string) (sts.User, bool) {
	for _, s := range a.stores() {
		if u, ok := s.keyOwner(accessKeyID); ok {
			return u, true
		}
	}
	return sts.User{}, false
}

func (s *Store) keyOwner(id string) (sts.User, bool) {
	s.mu.Lock()
	defer s.unlock()
	k, ok := s.accessKeys[id]
	if !ok {
		return sts.User{}, false
	}
	u, ok := s.users[key(k.userName)]
	if !ok {
		return sts.User{}, false
	}
	return sts.User{Account: s.account, ARN: *u.u.Arn, UserID: *u.u.UserId}, true
}

// RoleByARN finds a role of the account its ARN names (sts.Directory).
func (a *API) RoleByARN(arn string) (roleID string, maxSessionDuration int32, ok bool) {
	account, name, found := splitRoleARN(arn)
	if !found {
		return "", 0, false
	}
	s := a.Store(account)
	s.mu.Lock()
	defer s.unlock()
	r, found := s.roles[key(name)]
	if !found || *r.r.Arn != arn {
		return "", 0, false
	}
	return *r.r.RoleId, *r.r.MaxSessionDuration, true
}

// splitRoleARN takes the account and role name out of a role ARN.
func splitRoleARN(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	resource := parts[5]
	return parts[4], resource[strings.LastIndex(resource, "/")+1:], true
}

// TLSCertificate is the key pair of an uploaded server certificate, for
// the ALB to serve listeners that name it by ARN.
func (a *API) TLSCertificate(arn string) (*tls.Certificate, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" {
		return nil, fmt.Errorf("iam: %s is not a server certificate ARN", arn)
	}
	s := a.Store(parts[4])
	s.mu.Lock()
	defer s.unlock()
	c, ok := s.serverCertByARN(arn)
	if !ok {
		return nil, fmt.Errorf("iam: server certificate %s not found", arn)
	}
	pair := c.pair
	return &pair, nil
}
