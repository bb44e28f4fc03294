package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// healthcheck is the container health check of a FROM scratch image
// (no shell, no curl): it asks the server in the same container.
func healthcheck(cfg config) int {
	return checkHealth("http://127.0.0.1:" + cfg.Port + "/health")
}

// checkHealth GETs url and returns 0 on a 2xx answer, else 1.
func checkHealth(url string) int {
	resp, err := newHTTPClient(2 * time.Second).Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		fmt.Fprintln(os.Stderr, "healthcheck:", resp.Status)
		return 1
	}
	return 0
}
