// Package sts implements AWS Security Token Service over the awsQuery
// protocol: who is calling (GetCallerIdentity, GetAccessKeyInfo) and
// temporary credentials (AssumeRole, AssumeRoleWithWebIdentity,
// GetSessionToken).
//
// Nothing is enforced: signatures are not verified, any role can be
// assumed by anyone (the role need not exist in IAM), and any credentials
// are accepted afterwards. What the emulator does remember is who each
// access key it issued belongs to, so that a call signed with the
// credentials AssumeRole returned reports the assumed role, as on AWS.
// That memory is bounded (Options.MaxSessions, oldest forgotten first);
// a forgotten or unknown key is the account's root user, or the IAM user
// owning it when a Directory knows one.
package sts

import (
	"context"
	"crypto/rand"
	"io"
	"net/url"
	"sort"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// DefaultMaxSessions bounds the remembered issued access keys.
const DefaultMaxSessions = 10000

// Directory is what STS asks IAM about identities. Both methods answer
// for the IAM of the account the ARN or key belongs to; the iam package's
// API implements it.
type Directory interface {
	// AccessKeyUser finds the IAM user owning a long-term access key.
	AccessKeyUser(accessKeyID string) (u User, ok bool)
	// RoleByARN finds a role: its unique ID (AROA…) and its maximum
	// session duration in seconds.
	RoleByARN(arn string) (roleID string, maxSessionDuration int32, ok bool)
}

// User is an IAM user as STS reports it.
type User struct {
	Account string
	ARN     string // arn:aws:iam::<account>:user/<path><name>
	UserID  string // AIDA…
}

// Options configures the STS API.
type Options struct {
	Now         func() time.Time // default time.Now
	Rand        io.Reader        // source of key material, default crypto/rand
	MaxSessions int              // default DefaultMaxSessions
	Directory   Directory        // nil: no IAM users, roles unknown
	// State keeps the issued keys across restarts (persist.go); nil keeps
	// nothing.
	State *state.Bucket
}

// API serves STS operations. It is safe for concurrent use.
type API struct {
	opts     Options
	sessions *sessions
	handlers map[string]handler
}

type handler func(ctx context.Context, values url.Values) (any, error)

// New returns an STS API that remembers no session yet.
func New(opts Options) *API {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	a := &API{opts: opts, sessions: newSessions(opts.MaxSessions, opts.State)}
	a.handlers = map[string]handler{
		"GetCallerIdentity":         op(a.GetCallerIdentity),
		"GetAccessKeyInfo":          op(a.GetAccessKeyInfo),
		"AssumeRole":                op(a.AssumeRole),
		"AssumeRoleWithWebIdentity": op(a.AssumeRoleWithWebIdentity),
		"GetSessionToken":           op(a.GetSessionToken),
	}
	return a
}

// op adapts a typed operation to the generic handler signature.
func op[In any, Out any](fn func(context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, values url.Values) (any, error) {
		in := new(In)
		if err := awsproto.DecodeQuery(values, in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}

// Handle runs one operation (the query Action) and returns the SDK output
// struct for awsproto.WriteQuery, or an error for awsproto.WriteQueryError.
func (a *API) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	h, ok := a.handlers[action]
	if !ok {
		return nil, invalidAction(action)
	}
	return h(ctx, values)
}

// Operations lists the operation names this API implements.
func (a *API) Operations() []string {
	names := make([]string, 0, len(a.handlers))
	for n := range a.handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// accessKey is the access key ID the request was signed with.
func accessKey(ctx context.Context) string {
	return reqctx.AccessKey(ctx)
}
