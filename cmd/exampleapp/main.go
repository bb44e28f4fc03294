// Command exampleapp is the pair of small services that examples/cdk
// deploys: a worker reached through Cloud Map and an api behind the load
// balancer that calls it. One static binary serves both roles so that one
// FROM scratch image recipe builds every image of the example
// (examples/cdk/build-images.sh); the role is the first argument.
//
//	exampleapp worker       serve the worker: GET / answers its identity as JSON
//	exampleapp api          serve the api: GET / answers its identity and the worker's answer
//	exampleapp healthcheck  GET http://127.0.0.1:$PORT/health; exit 0 on 2xx, else 1
//	exampleapp crash        exit 1 at once (the broken image of the rollback scenario)
//
// Both servers answer GET /health with "ok" and shut down gracefully on
// SIGTERM. Environment:
//
//	PORT         port to listen on (default 8080)
//	APP_VERSION  reported in every answer (default v1; the images bake it in)
//	WORKER_URL   base URL of the worker, api only (default http://worker.internal.svc:8080)
package main

import (
	"fmt"
	"os"
)

// exitUsage is the exit code for bad arguments.
const exitUsage = 64

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(exitUsage)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

// run carries out one subcommand and returns the process exit code.
func run(cmd string, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "exampleapp %s: unexpected arguments %q\n", cmd, args)
		return exitUsage
	}
	cfg := configFromEnv(os.Getenv)
	switch cmd {
	case "worker":
		return serve(cfg, workerHandler(cfg))
	case "api":
		return serve(cfg, apiHandler(cfg))
	case "healthcheck":
		return healthcheck(cfg)
	case "crash":
		fmt.Fprintln(os.Stderr, "exampleapp: crashing at start, as this broken image is meant to")
		return 1
	default:
		fmt.Fprintf(os.Stderr, "exampleapp: unknown command %q\n%s", cmd, usage)
		return exitUsage
	}
}

const usage = `usage:
  exampleapp worker       serve the worker (GET / answers its identity)
  exampleapp api          serve the api (GET / answers its identity and the worker's answer)
  exampleapp healthcheck  check http://127.0.0.1:$PORT/health (exit 0 on 2xx, else 1)
  exampleapp crash        exit 1 at once
`
