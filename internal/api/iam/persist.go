package iam

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Persistence. An account keeps one record per entity, under
// "<account>/<kind>/<id>": role, user, profile and cert by lower-cased name
// (IAM names are unique regardless of case), policy by ARN, accesskey by
// key ID. Changes are marked with touch under the store's lock; unlock
// writes them and waits for the store before the operation answers.
//
// The attachment counts are not stored: they are the number of roles and
// users attaching each policy, counted again by Restore. IDs are random,
// so none comes back after a restart. Access key secrets were never kept
// (nothing checks them), server certificates keep their private key.

const (
	kindRole      = "role"
	kindUser      = "user"
	kindPolicy    = "policy"
	kindProfile   = "profile"
	kindAccessKey = "accesskey"
	kindCert      = "cert"
)

type roleJSON struct {
	Role      types.Role
	Inline    map[string]string `json:",omitempty"`
	Attached  []string          `json:",omitempty"`
	Protected bool              `json:",omitempty"`
}

type userJSON struct {
	User     types.User
	Inline   map[string]string `json:",omitempty"`
	Attached []string          `json:",omitempty"`
}

type policyJSON struct {
	Policy   types.Policy
	Versions []types.PolicyVersion
	Next     int
}

type profileJSON struct {
	Profile types.InstanceProfile
	Roles   []string `json:",omitempty"`
}

type accessKeyJSON struct {
	UserName string
	ID       string
	Status   types.StatusType
	Created  time.Time
}

type certJSON struct {
	Meta       types.ServerCertificateMetadata
	Body       string
	Chain      *string     `json:",omitempty"`
	Tags       []types.Tag `json:",omitempty"`
	PrivateKey string      // PEM, as uploaded
}

// touch marks an entity's record changed (created, updated or deleted).
func (s *Store) touch(kind, id string) {
	s.journal.Touch(s.account + "/" + kind + "/" + id)
}

// touchNamed marks the role or user an entity operation named by its
// member ("roleName", "userName") changed.
func (s *Store) touchNamed(member, name string) {
	kind := kindUser
	if member == "roleName" {
		kind = kindRole
	}
	s.touch(kind, key(name))
}

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		slog.Default().Error("iam: state not saved", "account", s.account, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(k string) (any, bool) {
	parts := strings.SplitN(k, "/", 3)
	id := parts[2]
	switch parts[1] {
	case kindRole:
		if r, ok := s.roles[id]; ok {
			return roleJSON{Role: r.r, Inline: r.inline, Attached: r.attached, Protected: r.protected}, true
		}
	case kindUser:
		if u, ok := s.users[id]; ok {
			return userJSON{User: u.u, Inline: u.inline, Attached: u.attached}, true
		}
	case kindPolicy:
		if p, ok := s.policies[id]; ok {
			return policyJSON{Policy: p.p, Versions: p.versions, Next: p.next}, true
		}
	case kindProfile:
		if p, ok := s.profiles[id]; ok {
			return profileJSON{Profile: *p, Roles: s.profileRoles[id]}, true
		}
	case kindAccessKey:
		if a, ok := s.accessKeys[id]; ok {
			return accessKeyJSON{UserName: a.userName, ID: a.id, Status: a.status, Created: a.created}, true
		}
	case kindCert:
		if c, ok := s.certs[id]; ok {
			return certJSON{Meta: c.meta, Body: c.body, Chain: c.chain, Tags: c.tags, PrivateKey: c.key}, true
		}
	}
	return nil, false
}

// Restore loads every account's entities, replacing what the API holds.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.accounts = map[string]*Store{}
	err := a.opts.State.Load(func(k string, value []byte) error {
		parts := strings.SplitN(k, "/", 3)
		if len(parts) != 3 {
			return fmt.Errorf("unexpected key")
		}
		s, ok := a.accounts[parts[0]]
		if !ok {
			s = a.newStore(parts[0])
			a.accounts[parts[0]] = s
		}
		return s.load(parts[1], parts[2], value)
	})
	for _, s := range a.accounts {
		s.countAttachments()
	}
	return err
}

// load puts one decoded record into the store.
func (s *Store) load(kind, id string, value []byte) error {
	decode := func(v any) error { return json.Unmarshal(value, v) }
	switch kind {
	case kindRole:
		var r roleJSON
		if err := decode(&r); err != nil {
			return err
		}
		s.roles[id] = &role{r: r.Role, policies: policies{inline: orEmpty(r.Inline), attached: r.Attached}, protected: r.Protected}
	case kindUser:
		var u userJSON
		if err := decode(&u); err != nil {
			return err
		}
		s.users[id] = &user{u: u.User, policies: policies{inline: orEmpty(u.Inline), attached: u.Attached}}
	case kindPolicy:
		var p policyJSON
		if err := decode(&p); err != nil {
			return err
		}
		s.policies[id] = &managedPolicy{p: p.Policy, versions: p.Versions, next: p.Next}
	case kindProfile:
		var p profileJSON
		if err := decode(&p); err != nil {
			return err
		}
		s.profiles[id] = &p.Profile
		if len(p.Roles) > 0 {
			s.profileRoles[id] = p.Roles
		}
	case kindAccessKey:
		var k accessKeyJSON
		if err := decode(&k); err != nil {
			return err
		}
		s.accessKeys[id] = &accessKey{userName: k.UserName, id: k.ID, status: k.Status, created: k.Created}
	case kindCert:
		var c certJSON
		if err := decode(&c); err != nil {
			return err
		}
		pair, _, err := parseKeyPair(c.Body, c.PrivateKey)
		if err != nil {
			return err
		}
		s.certs[id] = &serverCert{meta: c.Meta, body: c.Body, chain: c.Chain, tags: c.Tags, pair: pair, key: c.PrivateKey}
	default:
		return fmt.Errorf("unknown kind %q", kind)
	}
	return nil
}

// countAttachments derives the attachment counts from the roles and users.
func (s *Store) countAttachments() {
	for _, r := range s.roles {
		for _, arn := range r.attached {
			s.attachments[arn]++
		}
	}
	for _, u := range s.users {
		for _, arn := range u.attached {
			s.attachments[arn]++
		}
	}
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
