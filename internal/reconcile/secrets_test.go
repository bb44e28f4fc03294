package reconcile

import (
	"slices"
	"testing"
)

func TestParseSecretRef(t *testing.T) {
	const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
	tests := []struct {
		in   string
		want secretRef
		ok   bool
	}{
		{arn, secretRef{arn: arn}, true},
		{arn + ":password::", secretRef{arn: arn, jsonKey: "password"}, true},
		{arn + "::AWSPREVIOUS:", secretRef{arn: arn, stage: "AWSPREVIOUS"}, true},
		{arn + ":::0123456789abcdef0123456789abcdef", secretRef{arn: arn, versionID: "0123456789abcdef0123456789abcdef"}, true},
		{"arn:aws:secretsmanager:eu-west-1:123456789012:db", secretRef{}, false},
		{arn + ":a:b:c:d", secretRef{}, false},
	}
	for _, tc := range tests {
		got, ok := parseSecretRef(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseSecretRef(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseEnvFile(t *testing.T) {
	got := parseEnvFile("A=1\r\n# B=2\n\nC=x=y\nA=3\n=nameless\nD=\nE='quoted'\n")
	want := []kvPair{{"A", "3"}, {"C", "x=y"}, {"E", "'quoted'"}}
	if !slices.Equal(got, want) {
		t.Errorf("parseEnvFile = %v, want %v", got, want)
	}
}

// Environment files fill in what the environment does not set; secrets
// win over both.
func TestWithInjected(t *testing.T) {
	got := withInjected([]string{"AWS_REGION=us-east-1", "A=env", "B=env"}, injectedEnv{
		files:   []kvPair{{"A", "file"}, {"C", "file"}},
		secrets: []kvPair{{"B", "secret"}, {"D", "secret"}},
	})
	want := []string{"AWS_REGION=us-east-1", "A=env", "B=secret", "C=file", "D=secret"}
	if !slices.Equal(got, want) {
		t.Errorf("withInjected = %v, want %v", got, want)
	}
}
