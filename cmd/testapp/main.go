// Command testapp is a small, configurable HTTP server used as a task image by
// the emulator's tests. It is built as a static binary (CGO_ENABLED=0) and
// shipped in a FROM scratch image, so it also carries the few client
// subcommands that container health checks and probes need: there is no shell
// or curl in the image.
//
// Server configuration (environment variables; durations are Go durations
// such as "1500ms" or "2s", a bare integer means seconds):
//
//	PORT             port to listen on, all interfaces (default 8080)
//	NAME             echoed in responses
//	STARTUP_DELAY    sleep this long before listening (default 0)
//	HEALTH_STATUS    initial status code of /health, 200-599 (default 200)
//	UNHEALTHY_AFTER  /health turns 500 this long after start
//	EXIT_AFTER       exit with EXIT_CODE this long after start; 0 exits at
//	                 once, before listening
//	EXIT_CODE        exit code for EXIT_AFTER (default 0)
//	CRASH_AFTER      panic-like exit (message on stderr, code 2) this long
//	                 after start
//	ALLOCATE_MB      allocate and touch this many MiB (to provoke OOM kills)
//	ALLOCATE_AFTER   do the allocation this long after start (default: at
//	                 once, before listening)
//	IGNORE_SIGTERM   "1"/"true": log and ignore SIGTERM; otherwise SIGTERM
//	                 (and SIGINT) shut the server down gracefully and exit 0
//	SHUTDOWN_TIMEOUT how long a graceful shutdown waits for in-flight
//	                 requests (default 30s)
//	ECHO_ENV         extra variables to show in GET / besides ECS_* and NAME:
//	                 comma-separated names, a trailing * makes a prefix
//
// All timers count from process start.
//
// Endpoints:
//
//	GET  /                   JSON {name, hostname, ips, port, env}
//	GET  /health             current health code; body "ok" (2xx) or "unhealthy"
//	GET|POST /health/set?code=N  set the /health code
//	GET  /sleep?d=5s         wait, then answer (a slow in-flight request)
//	GET|POST /exit?code=N    answer, then exit with code N shortly after
//	ANY  /echo               the request (method, path, headers...) as JSON
//
// Subcommands:
//
//	testapp [serve]            run the server (the default)
//	testapp healthcheck        GET http://127.0.0.1:$PORT/health; exit 0 on 2xx, else 1
//	testapp get <url>          print the body; exit 0 on 2xx, else 1
//	testapp resolve <name>     print the IPv4 (A) addresses, one a line; exit 1 on error
//	testapp dnsquery [-tcp] <server:port> <name> <type>
//	                           ask one DNS server; print the rcode; exit 0 on
//	                           NOERROR, 5 on REFUSED, 1 otherwise
//	testapp sleep <duration>   sleep, then exit 0
//	testapp exit <code>        exit at once with that code
//	testapp print [-n N] [-every D] [-size N] [-partial] LINE...
//	                           print the lines (a "2>" prefix: on stderr; "{n}":
//	                           the round of -n), pausing -every between lines,
//	                           padded with x to -size bytes, the last without
//	                           a newline with -partial; then exit 0
//	testapp get-env <var> [path]  get the URL in $var, with path appended
//	testapp poll <url> <count> <interval>
//	                           GET url count times; print a JSON summary
//	                           (ok, failed, answers per "name"); exit 1 on
//	                           any failed request
//	testapp aws whoami         STS GetCallerIdentity with the SDK's default
//	                           configuration (AWS_ENDPOINT_URL, container
//	                           credentials); prints JSON, exit 1 on error
//	testapp aws discover <namespace> <service>
//	                           Cloud Map DiscoverInstances, likewise
//
// Every request is logged as one line on stdout.
package main

import (
	"fmt"
	"os"
)

// exitUsage is the exit code for bad arguments or configuration.
const exitUsage = 64

func main() {
	args := os.Args[1:]
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var code int
	switch cmd {
	case "serve":
		code = serve()
	case "healthcheck":
		code = cmdHealthcheck(args)
	case "get":
		code = cmdGet(args)
	case "resolve":
		code = cmdResolve(args)
	case "dnsquery":
		code = cmdDNSQuery(args)
	case "sleep":
		code = cmdSleep(args)
	case "exit":
		code = cmdExit(args)
	case "print":
		code = cmdPrint(args)
	case "aws":
		code = cmdAWS(args)
	case "get-env":
		code = cmdGetEnv(args)
	case "poll":
		code = cmdPoll(args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(os.Stdout, usage)
	default:
		fmt.Fprintf(os.Stderr, "testapp: unknown command %q\n%s", cmd, usage)
		code = exitUsage
	}
	os.Exit(code)
}

const usage = `usage:
  testapp [serve]            run the HTTP server (configured by environment)
  testapp healthcheck        check http://127.0.0.1:$PORT/health (exit 0 on 2xx, else 1)
  testapp get <url>          print the body of <url> (exit 0 on 2xx, else 1)
  testapp resolve <name>     print the IPv4 addresses of <name>, one a line
  testapp sleep <duration>   sleep, then exit 0
  testapp exit <code>        exit at once with <code>
  testapp print [-n N] [-every D] [-size N] [-partial] LINE...
                             print lines ("2>LINE" on stderr), then exit 0
  testapp get-env <var> [path]  print the body of the URL in $<var> (plus path)
  testapp poll <url> <count> <interval>
                             GET <url> <count> times; print a summary (exit 1 on a failure)
  testapp aws whoami         STS GetCallerIdentity with the SDK's default configuration
  testapp aws discover <namespace> <service>
                             Cloud Map DiscoverInstances with the SDK's default configuration
`
