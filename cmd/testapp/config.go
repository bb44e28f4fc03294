package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// config is the server's configuration, read from the environment.
type config struct {
	Port            int
	Name            string
	StartupDelay    time.Duration
	HealthStatus    int
	UnhealthyAfter  time.Duration // valid when HasUnhealthyAfter
	ExitAfter       time.Duration // valid when HasExitAfter
	ExitCode        int
	CrashAfter      time.Duration // valid when HasCrashAfter
	AllocateMB      int
	AllocateAfter   time.Duration
	IgnoreSIGTERM   bool
	ShutdownTimeout time.Duration
	EchoEnv         []string

	HasUnhealthyAfter bool
	HasExitAfter      bool
	HasCrashAfter     bool
}

// loadConfig reads the configuration through getenv (os.Getenv in main).
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Port:            8080,
		Name:            getenv("NAME"),
		HealthStatus:    200,
		ShutdownTimeout: 30 * time.Second,
	}
	var err error
	if c.Port, err = envInt(getenv, "PORT", 8080, 1, 65535); err != nil {
		return c, err
	}
	if c.HealthStatus, err = envInt(getenv, "HEALTH_STATUS", 200, 200, 599); err != nil {
		return c, err
	}
	if c.ExitCode, err = envInt(getenv, "EXIT_CODE", 0, 0, 255); err != nil {
		return c, err
	}
	if c.AllocateMB, err = envInt(getenv, "ALLOCATE_MB", 0, 0, 1<<20); err != nil {
		return c, err
	}
	if c.StartupDelay, _, err = envDuration(getenv, "STARTUP_DELAY"); err != nil {
		return c, err
	}
	if c.UnhealthyAfter, c.HasUnhealthyAfter, err = envDuration(getenv, "UNHEALTHY_AFTER"); err != nil {
		return c, err
	}
	if c.ExitAfter, c.HasExitAfter, err = envDuration(getenv, "EXIT_AFTER"); err != nil {
		return c, err
	}
	if c.CrashAfter, c.HasCrashAfter, err = envDuration(getenv, "CRASH_AFTER"); err != nil {
		return c, err
	}
	if c.AllocateAfter, _, err = envDuration(getenv, "ALLOCATE_AFTER"); err != nil {
		return c, err
	}
	if d, ok, err := envDuration(getenv, "SHUTDOWN_TIMEOUT"); err != nil {
		return c, err
	} else if ok {
		c.ShutdownTimeout = d
	}
	if v := strings.TrimSpace(getenv("IGNORE_SIGTERM")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("IGNORE_SIGTERM=%q: want 1/0 or true/false", v)
		}
		c.IgnoreSIGTERM = b
	}
	for _, n := range strings.Split(getenv("ECHO_ENV"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.EchoEnv = append(c.EchoEnv, n)
		}
	}
	return c, nil
}

func envInt(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want an integer in [%d, %d]", name, v, lo, hi)
	}
	return n, nil
}

// envDuration reads an optional duration; ok reports whether it was set.
func envDuration(getenv func(string) string, name string) (d time.Duration, ok bool, err error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return 0, false, nil
	}
	d, err = parseDuration(v)
	if err != nil {
		return 0, false, fmt.Errorf("%s=%q: %v", name, v, err)
	}
	return d, true, nil
}

// parseDuration accepts Go durations ("1.5s", "200ms") and bare integers,
// which mean seconds. Negative durations are rejected.
func parseDuration(v string) (time.Duration, error) {
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(n) * time.Second
	} else if d, err = time.ParseDuration(v); err != nil {
		return 0, fmt.Errorf("want a duration such as 500ms or 2s")
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration")
	}
	return d, nil
}

// echoedEnv reports whether the variable called name appears in GET /.
func (c *config) echoedEnv(name string) bool {
	if name == "NAME" || strings.HasPrefix(name, "ECS_") {
		return true
	}
	for _, p := range c.EchoEnv {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		} else if name == p {
			return true
		}
	}
	return false
}
