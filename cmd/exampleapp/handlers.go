package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

// workerCallTimeout bounds the api's call to the worker, so a missing
// worker shows as a 502 answer, not as a request that hangs.
const workerCallTimeout = 3 * time.Second

// workerHandler serves the worker's endpoints.
func workerHandler(cfg config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, currentIdentity("worker", cfg.Version))
	})
	return logRequests(mux)
}

// apiAnswer is the api's GET / body: itself, and what the worker said.
type apiAnswer struct {
	identity
	WorkerURL   string          `json:"workerUrl"`
	Worker      json.RawMessage `json:"worker,omitempty"`
	WorkerError string          `json:"workerError,omitempty"`
}

// apiHandler serves the api's endpoints; GET / calls the worker each time.
func apiHandler(cfg config) http.Handler {
	client := newHTTPClient(workerCallTimeout)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		answer := apiAnswer{identity: currentIdentity("api", cfg.Version), WorkerURL: cfg.WorkerURL}
		body, err := fetchJSON(r, client, strings.TrimSuffix(cfg.WorkerURL, "/")+"/")
		if err != nil {
			answer.WorkerError = err.Error()
			writeJSON(w, http.StatusBadGateway, answer)
			return
		}
		answer.Worker = body
		writeJSON(w, http.StatusOK, answer)
	})
	return logRequests(mux)
}

// fetchJSON GETs url and returns its body, which must be a 2xx JSON answer.
func fetchJSON(r *http.Request, client *http.Client, url string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("GET %s: the answer is not JSON", url)
	}
	return body, nil
}

// newHTTPClient returns a client with a timeout that ignores any proxy in
// the environment: the worker is always reached directly.
func newHTTPClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &http.Client{Transport: tr, Timeout: timeout}
}

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "ok\n")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// logRequests logs one line per request on stdout (the awslogs stream).
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s from %s in %s", r.Method, r.URL.Path, r.RemoteAddr, time.Since(start).Round(time.Microsecond))
	})
}
