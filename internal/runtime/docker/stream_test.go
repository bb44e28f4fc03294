package docker

import (
	"strings"
	"testing"
)

func TestDrainStream(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"success", `{"status":"Pulling from library/x"}` + "\n" + `{"status":"Digest: sha256:abc"}` + "\n", ""},
		{"empty", "", ""},
		{"errorDetail", `{"status":"Pulling"}` + "\n" + `{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}`, "manifest unknown"},
		{"old error field only", `{"error":"denied: access forbidden"}`, "denied: access forbidden"},
		{"cut stream", `{"status":"Downloading"`, "reading progress stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := drainStream(strings.NewReader(tt.in))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
