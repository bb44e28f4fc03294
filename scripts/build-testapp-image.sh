#!/usr/bin/env bash
# Builds the cmd/testapp image used by tests and end-to-end scripts: a static
# Go binary in a FROM scratch image, ENTRYPOINT ["/testapp"].
#
#   scripts/build-testapp-image.sh [TAG]     (default ecs-emulator-testapp:latest)
#
# Needs go and the docker CLI; uses the legacy builder (DOCKER_BUILDKIT=0),
# which needs no registry and no BuildKit. The Go tests build the same image
# themselves (internal/testutil/dockertest, tag ecs-emulator-testapp:test).
set -euo pipefail

tag="${1:-ecs-emulator-testapp:latest}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ecs-emulator-testapp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Build for the engine's platform (linux/amd64 on a Linux host).
goos="$(docker version --format '{{.Server.Os}}' 2>/dev/null || true)"
goarch="$(docker version --format '{{.Server.Arch}}' 2>/dev/null || true)"
goos="${goos:-linux}"
goarch="${goarch:-$(go env GOARCH)}"

echo "building cmd/testapp for ${goos}/${goarch}" >&2
(cd "$root" && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" \
	go build -trimpath -ldflags=-s -o "$tmp/testapp" ./cmd/testapp)

cat >"$tmp/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY testapp /testapp
ENTRYPOINT ["/testapp"]
DOCKERFILE

echo "building image ${tag}" >&2
DOCKER_BUILDKIT=0 docker build --quiet -t "$tag" "$tmp" >/dev/null
echo "$tag"
