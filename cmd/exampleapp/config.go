package main

import "cmp"

// config is what the environment says; read once at start.
type config struct {
	Port      string
	Version   string
	WorkerURL string
}

// configFromEnv reads the configuration through getenv (os.Getenv, or a
// map in tests), filling in the defaults.
func configFromEnv(getenv func(string) string) config {
	return config{
		Port:      cmp.Or(getenv("PORT"), "8080"),
		Version:   cmp.Or(getenv("APP_VERSION"), "v1"),
		WorkerURL: cmp.Or(getenv("WORKER_URL"), "http://worker.internal.svc:8080"),
	}
}
