// This directory is a JavaScript (CDK) project, not Go. This file only keeps
// `go build ./...`, `go vet ./...` and `go test ./...` of the emulator out of
// it: npm installs Go template files under node_modules/aws-cdk that do not
// compile.
module github.com/localaws/ecsemu/examples/cdk

go 1.26
