package sts_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	stsapi "github.com/localaws/ecsemu/internal/api/sts"
)

// directory is a fake IAM: one user key and one role.
type directory struct{}

func (directory) AccessKeyUser(key string) (stsapi.User, bool) {
	if key != "AKIAUSERKEY000000001" {
		return stsapi.User{}, false
	}
	return stsapi.User{Account: account, ARN: "arn:aws:iam::" + account + ":user/alice", UserID: "AIDAALICE0000000000"}, true
}

func (directory) RoleByARN(arn string) (string, int32, bool) {
	if arn != "arn:aws:iam::"+account+":role/short" {
		return "", 0, false
	}
	return "AROASHORT000000000", 3600, true
}

func TestGetCallerIdentityOfPlainKeysIsRoot(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	out, err := e.client("test", "test", "").GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Account != account || *out.Arn != "arn:aws:iam::"+account+":root" || *out.UserId != account {
		t.Fatalf("identity = %s %s %s", *out.Account, *out.Arn, *out.UserId)
	}
}

func TestGetCallerIdentityOfAnIAMUsersKey(t *testing.T) {
	e := newEnv(t, stsapi.Options{Directory: directory{}})
	out, err := e.client("AKIAUSERKEY000000001", "s", "").GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Arn != "arn:aws:iam::"+account+":user/alice" || *out.UserId != "AIDAALICE0000000000" {
		t.Fatalf("identity = %s %s", *out.Arn, *out.UserId)
	}
}

var (
	accessKeyRe = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)
	roleIDRe    = regexp.MustCompile(`^AROA[A-Z2-7]{17}:build$`)
)

// TestAssumeRoleCredentialsAreTheRole uses the returned credentials for
// the next call, which must report the assumed role.
func TestAssumeRoleCredentialsAreTheRole(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	roleARN := "arn:aws:iam::111122223333:role/ci/deployer"
	out, err := e.client("test", "test", "").AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("build"), DurationSeconds: aws.Int32(900),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !accessKeyRe.MatchString(*c.AccessKeyId) || len(*c.SecretAccessKey) != 40 || *c.SessionToken == "" {
		t.Fatalf("credentials = %+v", c)
	}
	if want := e.clock.Now().Add(15 * time.Minute); !c.Expiration.Equal(want) {
		t.Fatalf("expiration %v, want %v", c.Expiration, want)
	}
	wantARN := "arn:aws:sts::111122223333:assumed-role/deployer/build"
	if *out.AssumedRoleUser.Arn != wantARN || !roleIDRe.MatchString(*out.AssumedRoleUser.AssumedRoleId) {
		t.Fatalf("assumed role user = %s %s", *out.AssumedRoleUser.Arn, *out.AssumedRoleUser.AssumedRoleId)
	}
	who, err := e.as(c).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *who.Arn != wantARN || *who.UserId != *out.AssumedRoleUser.AssumedRoleId || *who.Account != "111122223333" {
		t.Fatalf("caller = %s %s %s", *who.Account, *who.Arn, *who.UserId)
	}
	info, err := e.client("test", "test", "").GetAccessKeyInfo(t.Context(), &sts.GetAccessKeyInfoInput{AccessKeyId: c.AccessKeyId})
	if err != nil || *info.Account != "111122223333" {
		t.Fatalf("GetAccessKeyInfo = %v, %v", info, err)
	}
	// The same role always has the same unique ID.
	again, err := e.client("test", "test", "").AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("build")})
	if err != nil || *again.AssumedRoleUser.AssumedRoleId != *out.AssumedRoleUser.AssumedRoleId {
		t.Fatalf("second AssumeRole = %v, %v", again, err)
	}
	// Fifteen minutes later the credentials have expired.
	e.clock.Advance(15 * time.Minute)
	_, err = e.as(c).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	apiError(t, err, "ExpiredToken", "The security token included in the request is expired")
}

func TestAssumeRoleUsesIAMsRole(t *testing.T) {
	e := newEnv(t, stsapi.Options{Directory: directory{}})
	c := e.client("test", "test", "")
	arn := aws.String("arn:aws:iam::" + account + ":role/short")
	out, err := c.AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	if *out.AssumedRoleUser.AssumedRoleId != "AROASHORT000000000:s1" {
		t.Fatalf("role id %s", *out.AssumedRoleUser.AssumedRoleId)
	}
	_, err = c.AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)})
	apiError(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	// Role chaining: a role session assuming a role gets at most an hour.
	_, err = e.as(out.Credentials).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/other"), RoleSessionName: aws.String("s2"), DurationSeconds: aws.Int32(3601),
	})
	apiError(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
}

func TestAssumeRoleValidation(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	c := e.client("test", "test", "")
	good := "arn:aws:iam::123456789012:role/app"
	tests := []struct {
		name, arn, session string
		duration           int32
		policy             string
		code, message      string
	}{
		{"short session name", good, "a", 0, "", "ValidationError",
			"1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"long session name", good, strings.Repeat("s", 65), 0, "", "ValidationError",
			fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64", strings.Repeat("s", 65))},
		{"session name pattern", good, "has space", 0, "", "ValidationError",
			`1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"short duration", good, "ok", 899, "", "ValidationError",
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"long duration", good, "ok", 43201, "", "ValidationError",
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"two violations", "arn:aws:iam", "a", 0, "", "ValidationError",
			"2 validation errors detected: Value 'arn:aws:iam' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"not a role ARN", "arn:aws:iam::123456789012:user/app", "ok", 0, "", "ValidationError", "Request ARN is invalid"},
		{"account not 12 digits", "arn:aws:iam::1234:role/application", "ok", 0, "", "ValidationError", "Request ARN is invalid"},
		{"region in ARN", "arn:aws:iam:us-east-1:123456789012:role/app", "ok", 0, "", "ValidationError", "Request ARN is invalid"},
		{"policy not JSON", good, "ok", 0, "{nope", "MalformedPolicyDocument", "The policy is not in the valid JSON format."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(tc.arn), RoleSessionName: aws.String(tc.session)}
			if tc.duration != 0 {
				in.DurationSeconds = aws.Int32(tc.duration)
			}
			if tc.policy != "" {
				in.Policy = aws.String(tc.policy)
			}
			_, err := c.AssumeRole(t.Context(), in)
			apiError(t, err, tc.code, tc.message)
		})
	}
}

func TestGetSessionToken(t *testing.T) {
	e := newEnv(t, stsapi.Options{Directory: directory{}})
	user := e.client("AKIAUSERKEY000000001", "s", "")
	out, err := user.GetSessionToken(t.Context(), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !accessKeyRe.MatchString(*out.Credentials.AccessKeyId) || !out.Credentials.Expiration.Equal(e.clock.Now().Add(12*time.Hour)) {
		t.Fatalf("credentials = %+v", out.Credentials)
	}
	who, err := e.as(out.Credentials).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || *who.Arn != "arn:aws:iam::"+account+":user/alice" {
		t.Fatalf("caller = %v, %v", who, err)
	}
	// The root user's session tokens last an hour at most.
	root, err := e.client("test", "test", "").GetSessionToken(t.Context(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	if err != nil || !root.Credentials.Expiration.Equal(e.clock.Now().Add(time.Hour)) {
		t.Fatalf("root session = %v, %v", root, err)
	}
	_, err = e.as(out.Credentials).GetSessionToken(t.Context(), &sts.GetSessionTokenInput{})
	apiError(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")
	_, err = user.GetSessionToken(t.Context(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
	apiError(t, err, "ValidationError", "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600")
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	c := e.client("test", "test", "")
	token := "eyJhbGciOiJSUzI1NiJ9." + b64url(`{"iss":"https://token.actions.githubusercontent.com","sub":"repo:o/r:ref:refs/heads/main","aud":["sts.amazonaws.com"]}`) + ".c2ln"
	out, err := c.AssumeRoleWithWebIdentity(t.Context(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/gha"), RoleSessionName: aws.String("gha"), WebIdentityToken: aws.String(token),
	})
	if err != nil {
		t.Fatal(err)
	}
	if *out.SubjectFromWebIdentityToken != "repo:o/r:ref:refs/heads/main" || *out.Audience != "sts.amazonaws.com" || *out.Provider != "token.actions.githubusercontent.com" {
		t.Fatalf("output = %s %s %s", *out.SubjectFromWebIdentityToken, *out.Audience, *out.Provider)
	}
	who, err := e.as(out.Credentials).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || *who.Arn != "arn:aws:sts::"+account+":assumed-role/gha/gha" {
		t.Fatalf("caller = %v, %v", who, err)
	}
	_, err = c.AssumeRoleWithWebIdentity(t.Context(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/gha"), RoleSessionName: aws.String("gha"), WebIdentityToken: aws.String("not-a-jwt"),
	})
	apiError(t, err, "InvalidIdentityToken", "")
}

func TestGetAccessKeyInfoValidation(t *testing.T) {
	e := newEnv(t, stsapi.Options{})
	c := e.client("test", "test", "")
	out, err := c.GetAccessKeyInfo(t.Context(), &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	if err != nil || *out.Account != account {
		t.Fatalf("GetAccessKeyInfo = %v, %v", out, err)
	}
	_, err = c.GetAccessKeyInfo(t.Context(), &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("short")})
	apiError(t, err, "ValidationError", "1 validation error detected: Value 'short' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16")
}

// TestSessionsAreBounded issues more sessions than remembered: the oldest
// credentials fall back to the root identity, the newest still work.
func TestSessionsAreBounded(t *testing.T) {
	e := newEnv(t, stsapi.Options{MaxSessions: 2})
	c := e.client("test", "test", "")
	var creds []*sts.AssumeRoleOutput
	for i := range 3 {
		out, err := c.AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/r"), RoleSessionName: aws.String(fmt.Sprintf("s%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		creds = append(creds, out)
	}
	first, err := e.as(creds[0].Credentials).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || *first.Arn != "arn:aws:iam::"+account+":root" {
		t.Fatalf("forgotten session = %v, %v", first, err)
	}
	last, err := e.as(creds[2].Credentials).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || *last.Arn != "arn:aws:sts::"+account+":assumed-role/r/s2" {
		t.Fatalf("newest session = %v, %v", last, err)
	}
}
