package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// httpGet fetches url with a timeout, without any proxy from the
// environment, and returns the status code and body.
func httpGet(url string, timeout time.Duration) (int, []byte, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	c := &http.Client{Transport: tr, Timeout: timeout}
	defer c.CloseIdleConnections()
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, body, err
}

func is2xx(code int) bool { return code >= 200 && code < 300 }

// cmdHealthcheck checks the local server's /health: exit 0 on 2xx, else 1.
func cmdHealthcheck(args []string) int {
	port := strings.TrimSpace(os.Getenv("PORT"))
	if port == "" {
		port = "8080"
	}
	url := "http://127.0.0.1:" + port + "/health"
	code, body, err := httpGet(url, 2*time.Second)
	if err != nil {
		fmt.Printf("unhealthy: %v\n", err)
		return 1
	}
	fmt.Printf("%s: %d %s\n", url, code, strings.TrimSpace(string(body)))
	if !is2xx(code) {
		return 1
	}
	return 0
}

// cmdGet prints the body of a URL: exit 0 on 2xx, else 1.
func cmdGet(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: testapp get <url>")
		return exitUsage
	}
	url := args[0]
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	code, body, err := httpGet(url, 10*time.Second)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp get: %v\n", err)
		return 1
	}
	os.Stdout.Write(body)
	if !is2xx(code) {
		fmt.Fprintf(os.Stderr, "testapp get: %s: status %d\n", url, code)
		return 1
	}
	return 0
}

// cmdResolve prints the IPv4 addresses of a name, one a line.
func cmdResolve(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: testapp resolve <name>")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp resolve: %v\n", err)
		return 1
	}
	if len(ips) == 0 {
		fmt.Fprintf(os.Stderr, "testapp resolve: %s: no A records\n", args[0])
		return 1
	}
	for _, ip := range ips {
		fmt.Println(ip.String())
	}
	return 0
}

// cmdSleep sleeps, then exits 0. SIGTERM/SIGINT end it early with the
// conventional 128+signal code, unless IGNORE_SIGTERM is set (SIGTERM only).
func cmdSleep(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: testapp sleep <duration>")
		return exitUsage
	}
	d, err := parseDuration(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp sleep: %q: %v\n", args[0], err)
		return exitUsage
	}
	ignoreTerm, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv("IGNORE_SIGTERM")))
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	t := time.NewTimer(d)
	for {
		select {
		case <-t.C:
			return 0
		case s := <-sigs:
			if s == syscall.SIGTERM && ignoreTerm {
				fmt.Println("testapp sleep: ignoring SIGTERM")
				continue
			}
			return 128 + int(s.(syscall.Signal))
		}
	}
}

// cmdExit exits at once with the given code.
func cmdExit(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: testapp exit <code>")
		return exitUsage
	}
	code, err := strconv.Atoi(args[0])
	if err != nil || code < 0 || code > 255 {
		fmt.Fprintf(os.Stderr, "testapp exit: %q: want an integer in [0, 255]\n", args[0])
		return exitUsage
	}
	return code
}
