package ssm

import (
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/localaws/ecsemu/internal/state"
)

// maxVersions is how many versions Parameter Store keeps of a parameter;
// the oldest goes when a put would make one more.
const maxVersions = 100

// version is one value of a parameter, with the settings it was put with.
type version struct {
	number         int64
	value          string // plaintext, also of SecureString parameters
	typ            types.ParameterType
	tier           types.ParameterTier
	description    string
	allowedPattern string
	keyID          string // SecureString only
	dataType       string
	modified       time.Time
	user           string
	labels         []string
}

// parameter is a named parameter: its versions, oldest first, and tags.
type parameter struct {
	name     string
	versions []*version
	tags     []types.Tag
	// seeded marks a parameter the emulator put there itself (Bootstrap):
	// the first put that creates it takes it over, see PutParameter.
	seeded bool
}

func (p *parameter) latest() *version { return p.versions[len(p.versions)-1] }

// byNumber finds a version by number.
func (p *parameter) byNumber(n int64) *version {
	for _, v := range p.versions {
		if v.number == n {
			return v
		}
	}
	return nil
}

// byLabel finds the version carrying a label.
func (p *parameter) byLabel(label string) *version {
	for _, v := range p.versions {
		for _, l := range v.labels {
			if l == label {
				return v
			}
		}
	}
	return nil
}

// Store holds the Parameter Store state of one account in one region. It
// has one lock; reads return copies built from the records.
type Store struct {
	region, account string
	now             func() time.Time

	mu      sync.Mutex
	params  map[string]*parameter // by name as put (with its leading "/", if any)
	journal *state.Journal        // records changed under mu (persist.go)
}

func newStore(region, account string, now func() time.Time) *Store {
	return &Store{region: region, account: account, now: now, params: map[string]*parameter{}}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// Account is the store's account.
func (s *Store) Account() string { return s.account }

// user is the LastModifiedUser of every change: the emulator does not
// tell callers apart, so it names the account root.
func (s *Store) user() string { return "arn:aws:iam::" + s.account + ":root" }

// timestamp is now at the millisecond precision the wire carries.
func (s *Store) timestamp() time.Time { return s.now().Truncate(time.Millisecond) }

// sortedNames lists parameter names in order, the order of every listing
// (so that paging tokens stay valid). Callers hold the lock.
func (s *Store) sortedNames() []string {
	names := make([]string, 0, len(s.params))
	for n := range s.params {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// nonNil turns a nil slice into an empty one, for lists AWS always sends.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
