package docker

import (
	"errors"
	"testing"
)

func TestNormalizedRef(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nope", "docker.io/library/nope:latest"},
		{"nginx:1.27", "docker.io/library/nginx:1.27"},
		{"me/app", "docker.io/me/app:latest"},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1"},
		{"localhost:5000/app", "localhost:5000/app:latest"},
		{"Not A Ref", "Not A Ref"},
	}
	for _, tt := range tests {
		if got := normalizedRef(tt.in); got != tt.want {
			t.Errorf("normalizedRef(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPullErrorReadsLikeTheAgent(t *testing.T) {
	engine := errors.New("Error response from daemon: Get \"https://registry-1.docker.io/v2/\":\n dial tcp: lookup registry-1.docker.io: no such host")
	err := &pullError{ref: "docker.io/library/nope:latest", err: engine}
	want := `pull image manifest has been retried 1 time(s): failed to resolve ref docker.io/library/nope:latest: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}
	if !errors.Is(err, engine) {
		t.Fatal("pullError must unwrap to the engine error")
	}
}
