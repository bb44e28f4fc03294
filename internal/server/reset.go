package server

import (
	"encoding/json"
	"net/http"
	"strings"
)

// reset answers POST /_emulator/reset (and moto's POST /moto-api/reset, so
// that suites written for moto's server mode reset between tests): it
// empties the state of every service, or of those named by ?service=
// (repeated or comma-separated, by their endpoint names: ecs,
// elasticloadbalancing, servicediscovery, …), and answers once done.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	var names []string
	for _, v := range r.URL.Query()["service"] {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if s.opts.Reset == nil {
		w.WriteHeader(http.StatusNotImplemented)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "this endpoint cannot reset"})
		return
	}
	if err := s.opts.Reset(r.Context(), names); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}
