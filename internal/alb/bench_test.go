package alb

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchSetup starts a small backend, a load balancer in front of it and one
// keep-alive client used for both paths.
func benchSetup(b *testing.B) (client *http.Client, direct, proxied string) {
	b.Helper()
	return benchSetupConns(b, 4)
}

// benchSetupConns is benchSetup with a client keeping up to conns
// connections to each side.
func benchSetupConns(b *testing.B, conns int) (client *http.Client, direct, proxied string) {
	b.Helper()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from the target\n")
	}))
	b.Cleanup(backend.Close)

	s := New(Options{})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	k := TargetKey{ID: "127.0.0.1", Port: backend.Listener.Addr().(*net.TCPAddr).Port}
	snap := oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{{ID: k.ID, Port: k.Port}}})
	if err := s.Update(snap); err != nil {
		b.Fatal(err)
	}
	addr, _ := s.ListenerAddr("l-1")

	tr := &http.Transport{MaxIdleConnsPerHost: conns}
	b.Cleanup(tr.CloseIdleConnections)
	client = &http.Client{Transport: tr}
	direct, proxied = backend.URL+"/", "http://"+addr+"/"
	for range 50 { // warm both paths' connections
		benchGet(b, client, direct)
		benchGet(b, client, proxied)
	}
	return client, direct, proxied
}

func benchGet(b *testing.B, c *http.Client, url string) time.Duration {
	start := time.Now()
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
	return time.Since(start)
}

// load runs n sequential requests and returns requests/s and the p99.
func load(b *testing.B, c *http.Client, url string, n int) (rps float64, p99 time.Duration) {
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	for range n {
		lat = append(lat, benchGet(b, c, url))
	}
	return float64(n) / time.Since(start).Seconds(), percentile(lat, 0.99)
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkDirect is the baseline: the client talks to the target itself.
func BenchmarkDirect(b *testing.B) {
	c, direct, _ := benchSetup(b)
	b.ResetTimer()
	rps, p99 := load(b, c, direct, b.N)
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

// BenchmarkProxy measures the same requests through the load balancer, then
// (untimed) as many direct ones in the same run, and reports the ratios.
func BenchmarkProxy(b *testing.B) {
	c, direct, proxied := benchSetup(b)
	b.ResetTimer()
	rps, p99 := load(b, c, proxied, b.N)
	b.StopTimer()
	drps, dp99 := load(b, c, direct, b.N)

	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
	b.ReportMetric(rps/drps, "throughput-ratio")
	b.ReportMetric(float64((p99 - dp99).Microseconds()), "p99-added-µs")
	b.ReportMetric(float64(p99)/float64(max(dp99, 1)), "p99-ratio")
}

// benchConns is the number of keep-alive clients in the parallel
// benchmarks, as in bench/proxy.sh's load pass (wrk -c 32).
const benchConns = 32

// loadParallel runs n requests from benchConns clients at once and returns
// requests/s.
func loadParallel(b *testing.B, c *http.Client, url string, n int) float64 {
	var wg sync.WaitGroup
	var next atomic.Int64
	start := time.Now()
	for range benchConns {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				benchGet(b, c, url)
			}
		})
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkDirectParallel is the baseline at benchConns connections.
func BenchmarkDirectParallel(b *testing.B) {
	c, direct, _ := benchSetupConns(b, benchConns)
	b.ResetTimer()
	b.ReportMetric(loadParallel(b, c, direct, b.N), "req/s")
}

// BenchmarkProxyParallel measures throughput through the load balancer at
// benchConns connections, then (untimed) as many direct requests, and
// reports the ratio.
func BenchmarkProxyParallel(b *testing.B) {
	c, direct, proxied := benchSetupConns(b, benchConns)
	b.ResetTimer()
	rps := loadParallel(b, c, proxied, b.N)
	b.StopTimer()
	drps := loadParallel(b, c, direct, b.N)
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(rps/drps, "throughput-ratio")
}
