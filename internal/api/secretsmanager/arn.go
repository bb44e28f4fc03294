package secretsmanager

import (
	"fmt"
	"io"
	"strings"
)

// suffixChars are the characters of the six Secrets Manager appends to a
// secret's name in its ARN (MySecret-a1B2c3).
const suffixChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func arnPrefix(region, account string) string {
	return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:"
}

// newARN is a fresh ARN for a secret named name: a new random suffix each
// time, so a secret created again under a deleted one's name has another
// ARN, as on AWS.
func (s *Store) newARN(name string) string {
	b := s.randomBytes(6)
	for i := range b {
		b[i] = suffixChars[int(b[i])%len(suffixChars)]
	}
	return arnPrefix(s.region, s.account) + name + "-" + string(b)
}

// cutARN returns what follows "secret:" in an ARN of this region and
// account: the name, with the random suffix for a full ARN.
func cutARN(id, region, account string) (string, bool) {
	return strings.CutPrefix(id, arnPrefix(region, account))
}

// newVersionID is a random (version 4) UUID, the form of the version IDs
// Secrets Manager and the SDKs' ClientRequestToken generate.
func (s *Store) newVersionID() string {
	b := s.randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *Store) randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		panic("secretsmanager: random source failed: " + err.Error())
	}
	return b
}

// find resolves a SecretId: a name, a full ARN, or a partial ARN (the ARN
// without its random suffix). An ARN of another region or account names
// nothing here. Callers hold the lock.
func (s *Store) find(id string) *secret {
	if !strings.HasPrefix(id, "arn:") {
		return s.secrets[id]
	}
	rest, ok := cutARN(id, s.region, s.account)
	if !ok {
		return nil
	}
	for _, sec := range s.secrets {
		if sec.arn == id {
			return sec
		}
	}
	return s.secrets[rest]
}

// lookup is find for operations that need the secret: a missing SecretId
// is a validation error, an unknown one ResourceNotFoundException.
func (s *Store) lookup(id *string) (*secret, error) {
	if id == nil {
		return nil, errRequired("secretId")
	}
	if err := validSecretID(*id); err != nil {
		return nil, err
	}
	sec := s.find(*id)
	if sec == nil {
		return nil, errNotFound()
	}
	return sec, nil
}

// live is lookup for operations refused on a secret scheduled for
// deletion.
func (s *Store) live(id *string) (*secret, error) {
	sec, err := s.lookup(id)
	if err == nil && sec.isDeleted() {
		return nil, errMarkedForDeletion()
	}
	return sec, err
}

func validSecretID(id string) error {
	if id == "" || len(id) > 2048 {
		return errConstraint(id, "secretId", "Member must have length between 1 and 2048")
	}
	return nil
}

// validName checks the name a secret is created under: 1-512 of ASCII
// letters, digits and /_+=.@- (Secrets Manager's quotas page).
func validName(name *string) error {
	if name == nil {
		return errRequired("name")
	}
	n := *name
	if n == "" || len(n) > 512 {
		return errConstraint(n, "name", "Member must have length between 1 and 512")
	}
	for _, c := range n {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("/_+=.@-", c):
		default:
			return errInvalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
		}
	}
	return nil
}
