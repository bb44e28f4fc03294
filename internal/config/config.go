// Package config holds the emulator's settings. Every setting has a
// command-line flag and an EMULATOR_* environment variable; a flag given on
// the command line wins over the variable, which wins over the default.
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Config is the emulator's configuration.
type Config struct {
	Listen          string
	Region          string
	AccountID       string
	DockerHost      string
	DockerNetwork   string
	KeepContainers  bool
	StoppedTaskTTL  time.Duration
	TaskSettleTime  time.Duration
	PullTimeout     time.Duration
	ShutdownTimeout time.Duration
	AllowPrivileged bool
	AllowHostMounts bool
	LogLevel        slog.Level
	LogFormat       string
	DisableDocker   bool
	// Runtime is RuntimeDocker or RuntimeSimulated.
	Runtime      string
	DNSListen    string
	DNSForTasks  bool
	ALBAddresses string
	// EndpointForTasks serves the AWS endpoint on the task network's
	// gateway and sets AWS_ENDPOINT_URL in task containers.
	EndpointForTasks bool
	// TaskMetadata serves the task metadata endpoint and task-role
	// credentials at 169.254.170.2 on a link-local task network.
	TaskMetadata bool
	// ALBTaskAddresses is the range load balancers get their task-side
	// addresses from ("" when off).
	ALBTaskAddresses string
	HTTPIdleTimeout  time.Duration
	// StateDir is where state is kept across restarts ("" keeps it in
	// memory only).
	StateDir   string
	StateFsync bool
}

// setting describes one flag/variable pair, for parsing and for the docs.
type setting struct {
	flag, env, def, usage string
}

var settings = []setting{
	{"listen", "EMULATOR_LISTEN", "127.0.0.1:4566", "address of the AWS endpoint (host:port)"},
	{"region", "EMULATOR_REGION", "us-east-1", "region used when a request names none"},
	{"account-id", "EMULATOR_ACCOUNT_ID", "000000000000", "12-digit account ID put in every ARN"},
	{"docker-host", "EMULATOR_DOCKER_HOST", "", "Docker engine address (default: DOCKER_HOST, then unix:///var/run/docker.sock)"},
	{"docker-network", "EMULATOR_DOCKER_NETWORK", "ecs-emulator", "name of the bridge network the emulator creates for tasks"},
	{"keep-containers", "EMULATOR_KEEP_CONTAINERS", "", "leave task containers running at shutdown (default: true with --state-dir, whose next start adopts them; false without)"},
	{"stopped-task-ttl", "EMULATOR_STOPPED_TASK_TTL", "1h", "how long STOPPED tasks stay describable"},
	{"task-settle-time", "EMULATOR_TASK_SETTLE_TIME", "40s", "how long a RUNNING task without health checks runs before it counts as healthy (ECS waits 40 s): for rolling updates, deployment completion and the circuit breaker"},
	{"pull-timeout", "EMULATOR_PULL_TIMEOUT", "2m", "how long an image pull may take before the task fails"},
	{"shutdown-timeout", "EMULATOR_SHUTDOWN_TIMEOUT", "30s", "deadline for a clean shutdown"},
	{"allow-privileged", "EMULATOR_ALLOW_PRIVILEGED", "false", "honour privileged: true in container definitions"},
	{"allow-host-mounts", "EMULATOR_ALLOW_HOST_MOUNTS", "false", "honour host volume mounts (volumes[].host.sourcePath)"},
	{"log-level", "EMULATOR_LOG_LEVEL", "info", "debug, info, warn or error (debug logs one line per request)"},
	{"log-format", "EMULATOR_LOG_FORMAT", "text", "text or json"},
	{"disable-docker", "EMULATOR_DISABLE_DOCKER", "false", "never contact a Docker engine (API only; tasks fail to start)"},
	{"runtime", "EMULATOR_RUNTIME", RuntimeDocker, "where tasks run: docker, or simulated — no containers and no Docker engine (for API-only use, such as CI, and scale tests): tasks walk to RUNNING with an invented address, nothing is pulled so a missing image does not fail, container health checks and load balancer targets count as healthy, and a stop ends every container with exit code 0"},
	{"dns-listen", "EMULATOR_DNS_LISTEN", "127.0.0.1:8053", "address of the Cloud Map DNS server for the host (UDP and TCP); `off` disables it"},
	{"alb-addresses", "EMULATOR_ALB_ADDRESSES", "127.0.1.0/24", "loopback range each load balancer gets its own address from (its listeners bind there; its DNS name resolves to it)"},
	{"http-idle-timeout", "EMULATOR_HTTP_IDLE_TIMEOUT", "60s", "the AWS endpoint closes a connection that sends nothing for this long: idle between requests, or stalled in a request body"},
	{"dns-for-tasks", "EMULATOR_DNS_FOR_TASKS", "true", "also serve DNS on the task network's gateway, port 53, and make it the tasks' resolver (needs root or CAP_NET_BIND_SERVICE)"},
	{"endpoint-for-tasks", "EMULATOR_ENDPOINT_FOR_TASKS", "true", "also serve the AWS endpoint on the task network's gateway (the port of --listen) and set AWS_ENDPOINT_URL in task containers whose definition sets none"},
	{"alb-task-addresses", "EMULATOR_ALB_TASK_ADDRESSES", "169.254.172.0/22", "range each load balancer also gets an address from that task containers reach (the gateway of a small Docker network of its own); its listeners serve there too and tasks resolve its DNS name to it; `off` disables it"},
	{"state-dir", "EMULATOR_STATE_DIR", "", "directory that keeps every service's state across restarts (and re-adopts running task containers at start); empty keeps state in memory only"},
	{"state-fsync", "EMULATOR_STATE_FSYNC", "false", "make every acknowledged write wait for the disk: survives a power loss too, not only a crash or kill -9 of the emulator, at a cost per write"},
	{"task-metadata", "EMULATOR_TASK_METADATA", "true", "serve the task metadata endpoint (v3, v4) and task-role credentials at 169.254.170.2 on a link-local network every task joins, and set ECS_CONTAINER_METADATA_URI(_V4) and AWS_CONTAINER_CREDENTIALS_* in task containers"},
}

// isBool says whether the setting is a switch, so that its flag may be
// given without a value (--disable-docker means --disable-docker=true).
// A true/false default says so; keep-containers' default is empty (it
// depends on --state-dir) but it is a switch too.
func (s setting) isBool() bool {
	return s.def == "true" || s.def == "false" || s.flag == "keep-containers"
}

// joinSwitchValues turns "--switch true" into "--switch=true", so that
// both "--disable-docker" alone and the two-word form (which the flags
// accepted before they were switches) work: a bare true or false is never
// an argument of its own.
func joinSwitchValues(args []string) []string {
	switches := map[string]bool{}
	for _, s := range settings {
		switches[s.flag] = s.isBool()
	}
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		if args[i] == "--" {
			return append(out, args[i:]...)
		}
		if strings.HasPrefix(args[i], "-") && switches[name] && i+1 < len(args) {
			if _, err := strconv.ParseBool(args[i+1]); err == nil {
				out = append(out, args[i]+"="+args[i+1])
				i++
				continue
			}
		}
		out = append(out, args[i])
	}
	return out
}

// value is a flag's text; the settings are parsed from text after all
// flags and variables are in (build).
type value struct {
	s      string
	isBool bool
}

func (v *value) String() string {
	if v == nil {
		return ""
	}
	return v.s
}
func (v *value) Set(s string) error { v.s = s; return nil }
func (v *value) IsBoolFlag() bool   { return v.isBool }

// Load parses args (without the program name) with defaults taken from the
// environment through getenv.
func Load(args []string, getenv func(string) string, errOut io.Writer) (Config, error) {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(errOut)
	vals := make(map[string]*string, len(settings))
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		v := &value{s: def, isBool: s.isBool()}
		fs.Var(v, s.flag, fmt.Sprintf("%s (env %s)", s.usage, s.env))
		vals[s.flag] = &v.s
	}
	if err := fs.Parse(joinSwitchValues(args)); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return build(func(name string) string { return *vals[name] })
}

func build(get func(string) string) (Config, error) {
	p := parser{get: get}
	c := Config{
		Listen:           get("listen"),
		Region:           get("region"),
		AccountID:        get("account-id"),
		DockerHost:       get("docker-host"),
		DockerNetwork:    get("docker-network"),
		KeepContainers:   p.boolOr("keep-containers", get("state-dir") != ""),
		StoppedTaskTTL:   p.duration("stopped-task-ttl"),
		TaskSettleTime:   p.duration("task-settle-time"),
		PullTimeout:      p.duration("pull-timeout"),
		ShutdownTimeout:  p.duration("shutdown-timeout"),
		AllowPrivileged:  p.bool("allow-privileged"),
		AllowHostMounts:  p.bool("allow-host-mounts"),
		LogFormat:        get("log-format"),
		DisableDocker:    p.bool("disable-docker"),
		Runtime:          get("runtime"),
		DNSListen:        get("dns-listen"),
		DNSForTasks:      p.bool("dns-for-tasks"),
		ALBAddresses:     p.prefix("alb-addresses"),
		EndpointForTasks: p.bool("endpoint-for-tasks"),
		TaskMetadata:     p.bool("task-metadata"),
		ALBTaskAddresses: p.optionalPrefix("alb-task-addresses"),
		HTTPIdleTimeout:  p.duration("http-idle-timeout"),
		StateDir:         get("state-dir"),
		StateFsync:       p.bool("state-fsync"),
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("log-level"))); err != nil {
		p.fail("log-level", err)
	}
	if len(c.AccountID) != 12 || strings.Trim(c.AccountID, "0123456789") != "" {
		p.fail("account-id", fmt.Errorf("%q is not 12 digits", c.AccountID))
	}
	if c.HTTPIdleTimeout <= 0 {
		p.fail("http-idle-timeout", fmt.Errorf("%v is not a positive duration", c.HTTPIdleTimeout))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		p.fail("log-format", fmt.Errorf("%q is neither text nor json", c.LogFormat))
	}
	if c.Runtime != RuntimeDocker && c.Runtime != RuntimeSimulated {
		p.fail("runtime", fmt.Errorf("%q is neither %s nor %s", c.Runtime, RuntimeDocker, RuntimeSimulated))
	}
	if c.Runtime == RuntimeSimulated && c.DisableDocker {
		p.fail("runtime", fmt.Errorf("%s does not go with --disable-docker (which makes every task fail to start)", RuntimeSimulated))
	}
	return c, p.err
}

// The task runtimes of --runtime.
const (
	RuntimeDocker    = "docker"
	RuntimeSimulated = "simulated"
)

type parser struct {
	get func(string) string
	err error
}

func (p *parser) fail(name string, err error) {
	if p.err == nil {
		p.err = fmt.Errorf("--%s: %w", name, err)
	}
}

func (p *parser) bool(name string) bool {
	v, err := strconv.ParseBool(p.get(name))
	if err != nil {
		p.fail(name, err)
	}
	return v
}

// boolOr is bool with a default that depends on other settings: def when
// the setting is empty.
func (p *parser) boolOr(name string, def bool) bool {
	if p.get(name) == "" {
		return def
	}
	return p.bool(name)
}

func (p *parser) prefix(name string) string {
	v := p.get(name)
	if pfx, err := netip.ParsePrefix(v); err != nil || !pfx.Addr().Is4() || pfx.Bits() > 30 {
		p.fail(name, fmt.Errorf("%q is not an IPv4 range of at least 4 addresses, such as 127.0.1.0/24", v))
	}
	return v
}

// optionalPrefix is an IPv4 range of at least one /30, or "" for "off".
func (p *parser) optionalPrefix(name string) string {
	v := p.get(name)
	if v == "off" {
		return ""
	}
	if pfx, err := netip.ParsePrefix(v); err != nil || !pfx.Addr().Is4() || pfx.Bits() > 30 {
		p.fail(name, fmt.Errorf("%q is neither off nor an IPv4 range of at least 4 addresses, such as 169.254.172.0/22", v))
	}
	return v
}

func (p *parser) duration(name string) time.Duration {
	v, err := time.ParseDuration(p.get(name))
	if err != nil {
		p.fail(name, err)
	}
	return v
}

// Markdown renders the settings as a table for the README.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| Flag | Environment variable | Default | Meaning |\n|---|---|---|---|\n")
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "(see meaning)"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", s.flag, s.env, def, s.usage)
	}
	return b.String()
}
