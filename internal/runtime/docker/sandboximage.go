package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// sandboxRepo is the local-only repository of the namespace-owner image.
const sandboxRepo = "ecs-emulator/sandbox"

// sandboxImageRef names the sandbox image for an engine architecture. The
// tag is a digest of the executable, so changing its bytes yields a new
// image instead of silently reusing a stale one.
func sandboxImageRef(arch string) (ref string, exe []byte, err error) {
	exe, err = pauseExecutable(arch)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(exe)
	return sandboxRepo + ":" + hex.EncodeToString(sum[:6]), exe, nil
}

// ensureSandboxImage makes the sandbox image exist locally and returns its
// reference. Concurrent first sandboxes share one import.
func (r *Runtime) ensureSandboxImage(ctx context.Context) (string, error) {
	arch, err := r.engineArch(ctx)
	if err != nil {
		return "", err
	}
	ref, exe, err := sandboxImageRef(arch)
	if err != nil {
		return "", r.wrap("sandbox image", "", err)
	}
	err = r.sandbox.do(ctx, ref, func(ctx context.Context) error {
		present, err := r.imagePresent(ctx, ref)
		if err != nil || present {
			return err
		}
		return r.importSandboxImage(ctx, ref, exe)
	})
	return ref, err
}

// engineArch asks the engine its architecture: the emulator may run on a
// different machine or architecture than the engine (a remote DOCKER_HOST,
// a VM), and the executable must match the engine.
func (r *Runtime) engineArch(ctx context.Context) (string, error) {
	ctx, cancel := r.call(ctx)
	defer cancel()
	v, err := r.cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return "", r.wrap("engine version", "", err)
	}
	return v.Arch, nil
}

// importSandboxImage imports a root filesystem holding only /pause. Import
// needs neither a registry nor a base image nor a Dockerfile build.
func (r *Runtime) importSandboxImage(ctx context.Context, ref string, exe []byte) error {
	rootfs, err := singleFileTar("pause", exe)
	if err != nil {
		return r.wrap("import sandbox image", ref, err)
	}
	ctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ImageImport(ctx,
		client.ImageImportSource{Source: bytes.NewReader(rootfs), SourceName: "-"},
		ref,
		client.ImageImportOptions{
			Message: "ecs-emulator task sandbox (network namespace owner)",
			// STOPSIGNAL is not an import change before Engine 23; the
			// sandbox container sets its stop signal itself.
			Changes: []string{`ENTRYPOINT ["/pause"]`},
		})
	if err != nil {
		return r.wrap("import sandbox image", ref, err)
	}
	defer res.Close()
	if err := drainStream(res); err != nil {
		return r.wrap("import sandbox image", ref, err)
	}
	r.log.InfoContext(ctx, "imported sandbox image", "op", "import sandbox image", "image", ref)
	return nil
}

// imagePresent reports whether ref exists in the engine's image store.
func (r *Runtime) imagePresent(ctx context.Context, ref string) (bool, error) {
	ctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.ImageInspect(ctx, ref)
	switch {
	case err == nil:
		return true, nil
	case cerrdefs.IsNotFound(err):
		return false, nil
	}
	return false, r.wrap("inspect image", ref, err)
}

// singleFileTar returns a tar archive holding one executable file.
func singleFileTar(name string, content []byte) ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	hdr := &tar.Header{
		Typeflag: tar.TypeReg,
		Name:     name,
		Mode:     0o755,
		Size:     int64(len(content)),
		ModTime:  time.Unix(0, 0), // reproducible: same bytes, same layer
		Format:   tar.FormatUSTAR,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(content); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
