package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// app holds the server's state. exit is os.Exit outside tests.
type app struct {
	cfg      config
	hostname string
	health   atomic.Int32
	log      *log.Logger
	exit     func(code int)
	environ  func() []string
}

func newApp(cfg config, logger *log.Logger, exit func(int)) *app {
	h, _ := os.Hostname()
	a := &app{cfg: cfg, hostname: h, log: logger, exit: exit, environ: os.Environ}
	a.health.Store(int32(cfg.HealthStatus))
	return a
}

// ballast keeps ALLOCATE_MB alive for the life of the process.
var (
	ballastMu sync.Mutex
	ballast   [][]byte
)

// allocate allocates mb MiB in 1 MiB chunks and touches every page, so the
// memory is resident (and counted against a cgroup limit) at once.
func allocate(logger *log.Logger, mb int) {
	logger.Printf("allocating %d MiB", mb)
	ballastMu.Lock()
	defer ballastMu.Unlock()
	for i := 0; i < mb; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		ballast = append(ballast, b)
	}
	logger.Printf("allocated %d MiB", mb)
}

// serve runs the server until a stop signal and returns the exit code.
func serve() int {
	logger := log.New(os.Stdout, "", log.LstdFlags|log.Lmicroseconds|log.LUTC)
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp: %v\n", err)
		return exitUsage
	}
	a := newApp(cfg, logger, os.Exit)
	logger.Printf("testapp starting: name=%q pid=%d port=%d", cfg.Name, os.Getpid(), cfg.Port)

	if cfg.HasExitAfter && cfg.ExitAfter == 0 {
		logger.Printf("EXIT_AFTER=0: exiting with code %d", cfg.ExitCode)
		return cfg.ExitCode
	}

	// Signals first, so that a stop during the startup delay is honoured.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	stop := make(chan os.Signal, 1)
	go func() {
		for s := range sigs {
			if s == syscall.SIGTERM && cfg.IgnoreSIGTERM {
				logger.Printf("received SIGTERM: ignoring it (IGNORE_SIGTERM)")
				continue
			}
			select {
			case stop <- s:
			default:
			}
		}
	}()

	a.startTimers()

	if cfg.AllocateMB > 0 {
		if cfg.AllocateAfter > 0 {
			time.AfterFunc(cfg.AllocateAfter, func() { allocate(logger, cfg.AllocateMB) })
		} else {
			allocate(logger, cfg.AllocateMB)
		}
	}

	if cfg.StartupDelay > 0 {
		logger.Printf("STARTUP_DELAY: waiting %s before listening", cfg.StartupDelay)
		select {
		case <-time.After(cfg.StartupDelay):
		case s := <-stop:
			logger.Printf("received %s during startup delay: exiting", sigName(s))
			return 0
		}
	}

	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		logger.Printf("listen: %v", err)
		return 1
	}
	srv := &http.Server{
		Handler:           a.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Printf("listening on %s", ln.Addr())

	select {
	case err := <-served:
		logger.Printf("serve: %v", err)
		return 1
	case s := <-stop:
		logger.Printf("received %s: shutting down gracefully (timeout %s)", sigName(s), cfg.ShutdownTimeout)
		ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			logger.Printf("shutdown: %v", err)
		} else {
			logger.Printf("shutdown complete")
		}
		return 0
	}
}

func sigName(s os.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return s.String()
}

// startTimers arms UNHEALTHY_AFTER, EXIT_AFTER and CRASH_AFTER.
func (a *app) startTimers() {
	cfg := a.cfg
	if cfg.HasUnhealthyAfter {
		time.AfterFunc(cfg.UnhealthyAfter, func() {
			a.log.Printf("UNHEALTHY_AFTER=%s elapsed: /health now answers 500", cfg.UnhealthyAfter)
			a.health.Store(http.StatusInternalServerError)
		})
	}
	if cfg.HasExitAfter {
		time.AfterFunc(cfg.ExitAfter, func() {
			a.log.Printf("EXIT_AFTER=%s elapsed: exiting with code %d", cfg.ExitAfter, cfg.ExitCode)
			a.exit(cfg.ExitCode)
		})
	}
	if cfg.HasCrashAfter {
		time.AfterFunc(cfg.CrashAfter, func() {
			a.log.Printf("CRASH_AFTER=%s elapsed: crashing", cfg.CrashAfter)
			fmt.Fprintf(os.Stderr, "panic: testapp: simulated crash after %s\n\ngoroutine 1 [running]:\nmain.crash()\n", cfg.CrashAfter)
			a.exit(2)
		})
	}
}

func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.handleRoot)
	mux.HandleFunc("GET /health", a.handleHealth)
	mux.HandleFunc("GET /health/set", a.handleHealthSet)
	mux.HandleFunc("POST /health/set", a.handleHealthSet)
	mux.HandleFunc("GET /sleep", a.handleSleep)
	mux.HandleFunc("GET /exit", a.handleExit)
	mux.HandleFunc("POST /exit", a.handleExit)
	mux.HandleFunc("/echo", a.handleEcho)
	return a.logRequests(mux)
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (a *app) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		a.log.Printf("%s %s %d %dB %s from=%s", r.Method, r.URL.RequestURI(), rec.status, rec.bytes,
			time.Since(start).Round(time.Microsecond), r.RemoteAddr)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// rootResponse is the body of GET /.
type rootResponse struct {
	Name     string            `json:"name"`
	Hostname string            `json:"hostname"`
	IPs      []string          `json:"ips"`
	Port     int               `json:"port"`
	Env      map[string]string `json:"env"`
}

func (a *app) handleRoot(w http.ResponseWriter, r *http.Request) {
	resp := rootResponse{
		Name:     a.cfg.Name,
		Hostname: a.hostname,
		IPs:      interfaceIPv4s(),
		Port:     a.cfg.Port,
		Env:      map[string]string{},
	}
	for _, kv := range a.environ() {
		k, v, _ := strings.Cut(kv, "=")
		if a.cfg.echoedEnv(k) {
			resp.Env[k] = v
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// interfaceIPv4s lists the non-loopback IPv4 addresses of the host (the
// container), sorted.
func interfaceIPv4s() []string {
	ips := []string{}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ips
	}
	for _, addr := range addrs {
		ipn, ok := addr.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() {
			continue
		}
		if v4 := ipn.IP.To4(); v4 != nil {
			ips = append(ips, v4.String())
		}
	}
	sort.Strings(ips)
	return ips
}

func (a *app) handleHealth(w http.ResponseWriter, r *http.Request) {
	code := int(a.health.Load())
	body := "unhealthy"
	if code >= 200 && code < 300 {
		body = "ok"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, body)
}

func (a *app) handleHealthSet(w http.ResponseWriter, r *http.Request) {
	v := r.FormValue("code")
	code, err := strconv.Atoi(v)
	if err != nil || code < 200 || code > 599 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("code=%q: want an HTTP status in [200, 599]", v))
		return
	}
	old := a.health.Swap(int32(code))
	a.log.Printf("/health status set: %d -> %d", old, code)
	writeJSON(w, http.StatusOK, map[string]int{"previous": int(old), "code": code})
}

func (a *app) handleSleep(w http.ResponseWriter, r *http.Request) {
	v := r.FormValue("d")
	if v == "" {
		v = "1s"
	}
	d, err := parseDuration(v)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("d=%q: %v", v, err))
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return // the client went away
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": a.cfg.Name, "slept": d.String()})
}

func (a *app) handleExit(w http.ResponseWriter, r *http.Request) {
	v := r.FormValue("code")
	if v == "" {
		v = "0"
	}
	code, err := strconv.Atoi(v)
	if err != nil || code < 0 || code > 255 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("code=%q: want an integer in [0, 255]", v))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": a.cfg.Name, "exiting": code})
	_ = http.NewResponseController(w).Flush()
	time.AfterFunc(100*time.Millisecond, func() {
		a.log.Printf("/exit: exiting with code %d", code)
		a.exit(code)
	})
}

// echoResponse is the body of /echo. Headers holds every request header,
// keyed by canonical name, repeated values joined with ", ".
type echoResponse struct {
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      string            `json:"query"`
	Host       string            `json:"host"`
	RemoteAddr string            `json:"remote_addr"`
	Name       string            `json:"name"`
	Headers    map[string]string `json:"headers"`
}

func (a *app) handleEcho(w http.ResponseWriter, r *http.Request) {
	resp := echoResponse{
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		Host:       r.Host,
		RemoteAddr: r.RemoteAddr,
		Name:       a.cfg.Name,
		Headers:    make(map[string]string, len(r.Header)),
	}
	for k, vs := range r.Header {
		resp.Headers[k] = strings.Join(vs, ", ")
	}
	writeJSON(w, http.StatusOK, resp)
}
