# The emulator as a container image: a static binary in an empty image.
# Run it on the host network with the Docker socket (see docker-compose.yml):
# it starts task containers on the same engine, binds a loopback address per
# load balancer and serves DNS on the task network's gateway.
ARG GO_IMAGE=golang:1.26
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/emulator ./cmd/emulator

FROM scratch
COPY --from=build /out/emulator /emulator
ENV EMULATOR_LISTEN=127.0.0.1:4566
EXPOSE 4566
ENTRYPOINT ["/emulator"]
