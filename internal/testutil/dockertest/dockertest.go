// Package dockertest holds helpers for tests that need a Docker engine.
//
// Tests that need the engine call RequireEngine (or TestAppImage, which calls
// it): when the engine is unreachable the test is skipped, unless
// EMULATOR_REQUIRE_DOCKER=1, in which case it fails. CI sets the variable so a
// broken engine cannot silently turn the end-to-end tests into skips.
package dockertest

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// TestAppTag is the tag of the image built from cmd/testapp by TestAppImage.
const TestAppTag = "ecs-emulator-testapp:test"

// EnvRequireDocker names the environment variable that turns "engine not
// reachable" from a skip into a failure when set to "1".
const EnvRequireDocker = "EMULATOR_REQUIRE_DOCKER"

// pingTimeout bounds the reachability check.
const pingTimeout = 5 * time.Second

// buildTimeout bounds compiling cmd/testapp and building its image.
const buildTimeout = 5 * time.Minute

// newClient returns a client configured from the environment (DOCKER_HOST,
// DOCKER_API_VERSION, DOCKER_CERT_PATH...), negotiating the API version.
func newClient() (*client.Client, error) {
	return client.New(client.FromEnv, client.WithAPIVersionNegotiation())
}

// endpoint describes where the engine is expected, for messages.
func endpoint(cli *client.Client) string {
	if cli != nil {
		return cli.DaemonHost()
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return client.DefaultDockerHost
}

// ping checks the engine answers, negotiating the API version on cli.
func ping(ctx context.Context, cli *client.Client) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return err
	}
	_, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	return err
}

// checkEngine returns the endpoint and nil if the engine is reachable.
func checkEngine() (string, error) {
	cli, err := newClient()
	if err != nil {
		return endpoint(nil), err
	}
	defer cli.Close()
	return endpoint(cli), ping(context.Background(), cli)
}

// RequireEngine skips the test when the Docker engine cannot be reached, or
// fails it when EMULATOR_REQUIRE_DOCKER=1.
func RequireEngine(t testing.TB) {
	t.Helper()
	ep, err := checkEngine()
	announce(ep, err)
	if err == nil {
		return
	}
	if os.Getenv(EnvRequireDocker) == "1" {
		t.Fatalf("Docker engine not reachable at %s: %v (%s=1 makes this a failure)", ep, err, EnvRequireDocker)
	}
	t.Skipf("Docker engine not reachable at %s: %v; set %s=1 to make this a failure", ep, err, EnvRequireDocker)
}

var announced sync.Once

// announce prints, once per test binary, one line saying whether its
// Docker tests run or are skipped, so that a run without an engine does
// not pass as if they had run. go test shows it with -v (and for a
// failing package, or in local directory mode).
func announce(ep string, err error) {
	announced.Do(func() {
		if err == nil {
			fmt.Fprintf(os.Stderr, "dockertest: Docker tests RUN against the engine at %s\n", ep)
			return
		}
		fmt.Fprintf(os.Stderr, "dockertest: Docker tests SKIPPED: no engine at %s (%v); %s=1 makes this a failure\n", ep, err, EnvRequireDocker)
	})
}

// NewClient returns an engine client for the test, closed when the test ends.
// It calls RequireEngine first.
func NewClient(t testing.TB) *client.Client {
	t.Helper()
	RequireEngine(t)
	cli, err := newClient()
	if err != nil {
		t.Fatalf("docker client: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	if err := ping(context.Background(), cli); err != nil {
		t.Fatalf("Docker engine not reachable at %s: %v", endpoint(cli), err)
	}
	return cli
}

var (
	imageOnce sync.Once
	imageErr  error
)

// TestAppImage builds cmd/testapp into a FROM scratch image tagged TestAppTag
// (ENTRYPOINT ["/testapp"]) and returns the tag. The build happens once per
// test process; later calls return the cached result (or fail with the cached
// error). It calls RequireEngine first.
//
// Several test binaries may call it at the same time: compiling runs in
// parallel, the image builds are serialized by a lock file in os.TempDir(),
// and since the binary is built with -trimpath every build after the first
// hits the engine's build cache and yields the very same image.
func TestAppImage(t testing.TB) string {
	t.Helper()
	RequireEngine(t)
	imageOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		imageErr = buildTestAppImage(ctx, TestAppTag)
	})
	if imageErr != nil {
		t.Fatalf("building test image %s: %v", TestAppTag, imageErr)
	}
	return TestAppTag
}

// ModuleRoot returns the directory holding go.mod, found by walking up from
// the working directory (a test's package directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func buildTestAppImage(ctx context.Context, tag string) error {
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ver, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return fmt.Errorf("engine version: %w", err)
	}
	goos, goarch := ver.Os, ver.Arch
	if goos == "" {
		goos = "linux"
	}

	root, err := ModuleRoot()
	if err != nil {
		return err
	}
	bin, err := compileTestApp(ctx, root, goos, goarch)
	if err != nil {
		return err
	}
	buildCtx, err := buildContextTar(bin)
	if err != nil {
		return err
	}

	unlock, err := lockBuild(ctx)
	if err != nil {
		return fmt.Errorf("build lock: %w", err)
	}
	defer unlock()

	var previous string
	if img, err := cli.ImageInspect(ctx, tag); err == nil {
		previous = img.ID
	}
	// The legacy builder has been known to trip over concurrent builds (from
	// other checkouts sharing the engine, say) now and then: retry a couple
	// of times before giving up.
	for attempt := 1; ; attempt++ {
		err = imageBuild(ctx, cli, buildCtx, tag)
		if err == nil || attempt == 3 || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt) * 500 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	img, err := cli.ImageInspect(ctx, tag)
	if err != nil {
		return fmt.Errorf("image %s missing after build: %w", tag, err)
	}
	if previous != "" && previous != img.ID {
		// The source changed since the last build: drop the old, now
		// untagged image (best effort; the engine refuses, and we ignore it,
		// while a container still uses it).
		_, _ = cli.ImageRemove(ctx, previous, client.ImageRemoveOptions{PruneChildren: true})
	}
	return nil
}

// goTool finds the go command: $GOROOT/bin/go if set, else go on PATH.
func goTool() (string, error) {
	if gr := os.Getenv("GOROOT"); gr != "" {
		p := filepath.Join(gr, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go command not found: %w", err)
	}
	return p, nil
}

// compileTestApp builds a static cmd/testapp for the engine's platform and
// returns its content.
func compileTestApp(ctx context.Context, root, goos, goarch string) ([]byte, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ecs-emulator-testapp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "testapp")

	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-ldflags=-s", "-o", out, "./cmd/testapp")
	cmd.Dir = root
	env := os.Environ()
	if flags := os.Getenv("GOFLAGS"); flags != "" {
		// -race needs cgo; drop it (and other instrumentation) from GOFLAGS.
		var kept []string
		for _, f := range strings.Fields(flags) {
			if f != "-race" && f != "-msan" && f != "-asan" && !strings.HasPrefix(f, "-cover") {
				kept = append(kept, f)
			}
		}
		env = append(env, "GOFLAGS="+strings.Join(kept, " "))
	}
	cmd.Env = append(env, "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	if output, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/testapp: %v\n%s", err, output)
	}
	return os.ReadFile(out)
}

const testAppDockerfile = `FROM scratch
COPY testapp /testapp
ENTRYPOINT ["/testapp"]
`

// buildContextTar returns a tar holding the Dockerfile and the binary.
func buildContextTar(bin []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime := time.Unix(0, 0)
	files := []struct {
		name string
		mode int64
		data []byte
	}{
		{"Dockerfile", 0o644, []byte(testAppDockerfile)},
		{"testapp", 0o755, bin},
	}
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: mtime, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// buildMessage is one line of the engine's JSON build stream.
type buildMessage struct {
	Stream      string `json:"stream"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// imageBuild runs one build through the Engine API with the legacy builder
// (no BuildKit session is needed for a FROM scratch image).
func imageBuild(ctx context.Context, cli *client.Client, buildCtx []byte, tag string) error {
	res, err := cli.ImageBuild(ctx, bytes.NewReader(buildCtx), client.ImageBuildOptions{
		Tags:        []string{tag},
		Dockerfile:  "Dockerfile",
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
		Labels:      map[string]string{"ecs-emulator.testapp": "true"},
	})
	if err != nil {
		return fmt.Errorf("image build: %w", err)
	}
	defer res.Body.Close()

	var log strings.Builder
	dec := json.NewDecoder(res.Body)
	for {
		var m buildMessage
		if err := dec.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("image build: reading output: %w\n%s", err, log.String())
		}
		log.WriteString(m.Stream)
		msg := m.Error
		if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
			msg = m.ErrorDetail.Message
		}
		if msg != "" {
			return fmt.Errorf("image build: %s\n%s", msg, log.String())
		}
	}
}
