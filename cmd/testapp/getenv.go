package main

import (
	"fmt"
	"os"
)

// cmdGetEnv is `get` on a URL taken from the environment, plus an optional
// path: what `curl $ECS_CONTAINER_METADATA_URI_V4/task` does in a shell,
// which a FROM scratch image does not have.
func cmdGetEnv(args []string) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: testapp get-env <variable> [path]")
		return exitUsage
	}
	base := os.Getenv(args[0])
	if base == "" {
		fmt.Fprintf(os.Stderr, "testapp get-env: %s is not set\n", args[0])
		return 1
	}
	if len(args) == 2 {
		base += args[1]
	}
	return cmdGet([]string{base})
}
