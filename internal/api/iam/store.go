package iam

import (
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/state"
)

// Store is the IAM of one account. One lock guards everything; reads
// return copies.
type Store struct {
	account string
	now     func() time.Time
	rand    io.Reader

	mu           sync.Mutex
	roles        map[string]*role                  // by name
	users        map[string]*user                  // by name
	policies     map[string]*managedPolicy         // local managed policies, by ARN
	profiles     map[string]*types.InstanceProfile // by name; Roles hold role names only
	profileRoles map[string][]string               // instance profile name → role names
	accessKeys   map[string]*accessKey             // by ID
	certs        map[string]*serverCert            // by name
	// attachments counts, per managed policy ARN (local or AWS), the
	// entities it is attached to.
	attachments map[string]int
	journal     *state.Journal // records changed under mu (persist.go)
}

func (a *API) newStore(account string) *Store {
	return &Store{
		account:      account,
		now:          a.opts.Now,
		rand:         a.opts.Rand,
		journal:      a.opts.State.Journal(),
		roles:        map[string]*role{},
		users:        map[string]*user{},
		policies:     map[string]*managedPolicy{},
		profiles:     map[string]*types.InstanceProfile{},
		profileRoles: map[string][]string{},
		accessKeys:   map[string]*accessKey{},
		certs:        map[string]*serverCert{},
		attachments:  map[string]int{},
	}
}

// Account is the account this store belongs to.
func (s *Store) Account() string { return s.account }

// timestamp is now, to the second as IAM reports it.
func (s *Store) timestamp() *time.Time {
	t := s.now().UTC().Truncate(time.Second)
	return &t
}

// arn builds an IAM ARN of this account: arn:aws:iam::<account>:<kind><path><name>.
func (s *Store) arn(kind, path, name string) string {
	return "arn:aws:iam::" + s.account + ":" + kind + path + name
}
