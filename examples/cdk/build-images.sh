#!/usr/bin/env bash
# Builds the example's images into the local Docker engine (no registry is
# involved: the emulator runs local images as they are):
#
#   my-org/worker:latest  the worker        (exampleapp worker)
#   my-org/api:latest     the api, v1       (exampleapp api)
#   my-org/api:v2         the api, v2       (the update scenario: same app, APP_VERSION=v2)
#   my-org/api:broken     exits at once     (the rollback scenario: exampleapp crash)
#
# Each is cmd/exampleapp as a static binary in a FROM scratch image, built
# with the legacy builder (DOCKER_BUILDKIT=0: no BuildKit, no base image to
# pull). Needs go and the docker CLI. Usage: examples/cdk/build-images.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/exampleapp-images.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Build for the engine's platform.
goos="$(docker version --format '{{.Server.Os}}' 2>/dev/null || true)"
goarch="$(docker version --format '{{.Server.Arch}}' 2>/dev/null || true)"
echo "building cmd/exampleapp for ${goos:-linux}/${goarch:-$(go env GOARCH)}" >&2
(cd "$root" && CGO_ENABLED=0 GOOS="${goos:-linux}" GOARCH="${goarch:-$(go env GOARCH)}" \
	go build -trimpath -ldflags=-s -o "$tmp/exampleapp" ./cmd/exampleapp)

# image TAG ROLE VERSION: one image of the binary in one role.
image() {
	cat >"$tmp/Dockerfile" <<DOCKERFILE
FROM scratch
COPY exampleapp /exampleapp
ENV APP_VERSION=$3
EXPOSE 8080
ENTRYPOINT ["/exampleapp", "$2"]
DOCKERFILE
	if ! DOCKER_BUILDKIT=0 docker build --quiet -t "$1" "$tmp" >/dev/null 2>"$tmp/build.log"; then
		cat "$tmp/build.log" >&2
		return 1
	fi
	echo "$1"
}

image my-org/worker:latest worker v1
image my-org/api:latest api v1
image my-org/api:v2 api v2
image my-org/api:broken crash broken
