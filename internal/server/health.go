package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// healthDoc is the body of GET /_emulator/health.
type healthDoc struct {
	Version  string            `json:"version"`
	Region   string            `json:"defaultRegion"`
	Account  string            `json:"accountId"`
	Services map[string]string `json:"services"`
	Docker   dockerHealth      `json:"docker"`
	State    stateHealth       `json:"state"`
}

// stateHealth says where state is kept and whether saving it works.
type stateHealth struct {
	Persistent bool   `json:"persistent"`
	File       string `json:"file,omitempty"`
	LastError  string `json:"lastError,omitempty"`
	ErrorAt    string `json:"lastErrorAt,omitempty"`
	// Adopting is how many restored tasks the reconciler has not looked
	// at yet; AdoptedIn how long adopting them all took.
	Adopting  int     `json:"adopting"`
	AdoptedIn float64 `json:"adoptedInSeconds,omitempty"`
}

type dockerHealth struct {
	Reachable  bool   `json:"reachable"`
	Endpoint   string `json:"endpoint,omitempty"`
	Version    string `json:"version,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
	Error      string `json:"error,omitempty"`
	// TasksReady is false while the task network and what tasks get on
	// it are still being set up after a start.
	TasksReady *bool `json:"tasksReady,omitempty"`
	// Outages since start, as the reconciler saw them.
	DownSince       string  `json:"downSince,omitempty"`
	Outages         int     `json:"outages"`
	LastOutageSecs  float64 `json:"lastOutageSeconds,omitempty"`
	LastOutageEnded string  `json:"lastOutageEnded,omitempty"`
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	doc := healthDoc{
		Version:  s.opts.Version,
		Region:   s.opts.Region,
		Account:  s.opts.AccountID,
		Services: s.serviceStatus(),
		Docker:   s.dockerHealth(r.Context()),
		State:    s.stateHealth(),
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
}

func (s *Server) dockerHealth(ctx context.Context) dockerHealth {
	if s.opts.Runtime == nil {
		return dockerHealth{Error: "Docker is disabled (--disable-docker)"}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	info, err := s.opts.Runtime.Info(ctx)
	h := dockerHealth{Reachable: true, Endpoint: info.Endpoint, Version: info.Version, APIVersion: info.APIVersion}
	if err != nil {
		h = dockerHealth{Endpoint: s.opts.Runtime.Endpoint(), Error: err.Error()}
	}
	if s.opts.TasksReady != nil {
		ready := s.opts.TasksReady()
		h.TasksReady = &ready
	}
	if s.opts.Outages != nil {
		o := s.opts.Outages()
		h.Outages, h.LastOutageSecs = o.Count, o.LastOutage.Seconds()
		if !o.DownSince.IsZero() {
			h.DownSince = o.DownSince.UTC().Format(time.RFC3339)
		}
		if !o.LastOutageEnded.IsZero() {
			h.LastOutageEnded = o.LastOutageEnded.UTC().Format(time.RFC3339)
		}
	}
	return h
}

func status(served bool) string {
	if served {
		return "running"
	}
	return "not available"
}

// serviceStatus lists every served service as "running".
func (s *Server) serviceStatus() map[string]string {
	out := make(map[string]string, len(s.services.byName))
	for name := range s.services.byName {
		out[name] = status(true)
	}
	return out
}

func (s *Server) stateHealth() stateHealth {
	db := s.opts.State
	if db == nil {
		return stateHealth{}
	}
	h := stateHealth{Persistent: true, File: db.Path()}
	if s.opts.Adopting != nil {
		pending, took := s.opts.Adopting()
		h.Adopting, h.AdoptedIn = pending, took.Seconds()
	}
	if err, at := db.LastError(); err != nil {
		h.LastError, h.ErrorAt = err.Error(), at.UTC().Format(time.RFC3339)
	}
	return h
}
