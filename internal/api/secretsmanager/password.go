package secretsmanager

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The character classes of GetRandomPassword; punctuation is what the API
// reference lists.
const (
	lowerChars       = "abcdefghijklmnopqrstuvwxyz"
	upperChars       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars       = "0123456789"
	punctuationChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
)

const (
	defaultPasswordLength = 32
	maxPasswordLength     = 4096
)

// GetRandomPassword generates a password of PasswordLength (32 by
// default) from the classes not excluded, with one of each included class
// unless RequireEachIncludedType is false. CloudFormation's
// GenerateSecretString uses it too.
func (s *Store) GetRandomPassword(_ context.Context, in *secretsmanager.GetRandomPasswordInput) (*secretsmanager.GetRandomPasswordOutput, error) {
	length := int64(defaultPasswordLength)
	if in.PasswordLength != nil {
		length = *in.PasswordLength
	}
	if length < 1 || length > maxPasswordLength {
		return nil, errConstraint(length, "passwordLength", "Member must have value between 1 and 4096")
	}
	if len(deref(in.ExcludeCharacters)) > 4096 {
		return nil, errConstraint("***", "excludeCharacters", "Member must have length less than or equal to 4096")
	}
	classes := passwordClasses(in)
	extra := ""
	if spaceAllowed(in) {
		extra = " "
	}
	if len(classes) == 0 && extra == "" {
		return nil, errInvalidParameter("The password can't be generated because every character is excluded.")
	}
	require := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if require && int(length) < len(classes) {
		return nil, errInvalidParameter("The password length is too short to include a character of each included type.")
	}
	s.mu.Lock()
	defer s.unlock()
	return &secretsmanager.GetRandomPasswordOutput{RandomPassword: ptr(s.password(int(length), classes, extra, require))}, nil
}

// passwordClasses are the included classes without the excluded
// characters; classes left empty are dropped.
func passwordClasses(in *secretsmanager.GetRandomPasswordInput) []string {
	var classes []string
	add := func(excluded *bool, chars string) {
		if deref(excluded) {
			return
		}
		chars = strings.Map(func(r rune) rune {
			if strings.ContainsRune(deref(in.ExcludeCharacters), r) {
				return -1
			}
			return r
		}, chars)
		if chars != "" {
			classes = append(classes, chars)
		}
	}
	add(in.ExcludeLowercase, lowerChars)
	add(in.ExcludeUppercase, upperChars)
	add(in.ExcludeNumbers, digitChars)
	add(in.ExcludePunctuation, punctuationChars)
	return classes
}

// spaceAllowed: IncludeSpace lets passwords contain spaces, without
// requiring one (RequireEachIncludedType names the four classes only).
func spaceAllowed(in *secretsmanager.GetRandomPasswordInput) bool {
	return deref(in.IncludeSpace) && !strings.ContainsRune(deref(in.ExcludeCharacters), ' ')
}

// password draws length characters from the union of the classes and
// extra; with require, one character of each class goes to a random
// position of its own. Callers hold the lock (the random source is shared).
func (s *Store) password(length int, classes []string, extra string, require bool) string {
	all := strings.Join(classes, "") + extra
	out := make([]byte, length)
	for i := range out {
		out[i] = all[s.randomInt(len(all))]
	}
	if require {
		slots := s.randomPermutation(length)
		for i, c := range classes {
			out[slots[i]] = c[s.randomInt(len(c))]
		}
	}
	return string(out)
}

func (s *Store) randomInt(n int) int {
	v, err := rand.Int(s.random, big.NewInt(int64(n)))
	if err != nil {
		panic("secretsmanager: random source failed: " + err.Error())
	}
	return int(v.Int64())
}

// randomPermutation is a random order of 0..n-1 (Fisher-Yates).
func (s *Store) randomPermutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := s.randomInt(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}
