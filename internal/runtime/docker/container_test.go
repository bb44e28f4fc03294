package docker

import (
	"reflect"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

func TestContainerCreateOptions(t *testing.T) {
	spec := runtime.ContainerSpec{
		Name:                   "ecs-emu-t1-web",
		Image:                  "web:1",
		Labels:                 map[string]string{runtime.LabelManaged: "true"},
		SandboxID:              "sb123",
		Command:                []string{"serve"},
		Env:                    []string{"A=1"},
		WorkingDir:             "/srv",
		User:                   "1000:1000",
		CPUShares:              512,
		MemoryBytes:            64 << 20,
		MemoryReservationBytes: 32 << 20,
		Ulimits:                []runtime.Ulimit{{Name: "nofile", Soft: 1024, Hard: 4096}},
		StopTimeout:            1500 * time.Millisecond,
		HealthCheck: &runtime.HealthCheck{
			Test: []string{"CMD", "/app", "healthcheck"}, Interval: 5 * time.Second,
			Timeout: 2 * time.Second, StartPeriod: 10 * time.Second, Retries: 3,
		},
		Privileged:     true,
		ReadonlyRootfs: true,
		Binds:          []string{"/tmp:/data:ro"},
	}
	o := containerCreateOptions(spec)
	c, h := o.Config, o.HostConfig
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", o.Name, spec.Name},
		{"image", c.Image, "web:1"},
		{"entrypoint kept", c.Entrypoint, []string(nil)},
		{"cmd", c.Cmd, []string{"serve"}},
		{"env", c.Env, spec.Env},
		{"workdir", c.WorkingDir, "/srv"},
		{"user", c.User, "1000:1000"},
		{"labels", c.Labels, map[string]string{runtime.LabelManaged: "true", runtime.LabelRole: runtime.RoleContainer}},
		{"stop timeout rounds up", *c.StopTimeout, 2},
		{"health test", c.Healthcheck.Test, spec.HealthCheck.Test},
		{"health interval", c.Healthcheck.Interval, 5 * time.Second},
		{"health timeout", c.Healthcheck.Timeout, 2 * time.Second},
		{"health start", c.Healthcheck.StartPeriod, 10 * time.Second},
		{"health retries", c.Healthcheck.Retries, 3},
		{"no hostname", c.Hostname, ""},
		{"network mode", string(h.NetworkMode), "container:sb123"},
		{"cpu", h.CPUShares, int64(512)},
		{"memory", h.Memory, int64(64 << 20)},
		{"no swap", h.MemorySwap, int64(64 << 20)},
		{"reservation", h.MemoryReservation, int64(32 << 20)},
		{"privileged", h.Privileged, true},
		{"readonly", h.ReadonlyRootfs, true},
		{"binds", h.Binds, spec.Binds},
	}
	for _, ck := range checks {
		if !reflect.DeepEqual(ck.got, ck.want) {
			t.Errorf("%s: got %#v, want %#v", ck.what, ck.got, ck.want)
		}
	}
	if u := h.Ulimits; len(u) != 1 || u[0].Name != "nofile" || u[0].Soft != 1024 || u[0].Hard != 4096 {
		t.Errorf("ulimits = %+v", u)
	}
}

func TestContainerCreateOptionsUnset(t *testing.T) {
	o := containerCreateOptions(runtime.ContainerSpec{Name: "n", Image: "i", SandboxID: "s"})
	if o.Config.StopTimeout != nil || o.Config.Healthcheck != nil || o.Config.Cmd != nil ||
		o.HostConfig.Memory != 0 || o.HostConfig.MemorySwap != 0 {
		t.Fatalf("unset fields must stay unset: %+v %+v", o.Config, o.HostConfig.Resources)
	}
}

func TestSandboxCreateOptions(t *testing.T) {
	spec := runtime.SandboxSpec{
		Name: "sb", Hostname: "ip-10-0-0-1", DNS: []string{"172.18.0.1"},
		Labels: map[string]string{runtime.LabelRole: runtime.RoleSandbox},
	}
	o, err := sandboxCreateOptions(spec, "ecs-emulator/sandbox:x", "net1")
	if err != nil {
		t.Fatal(err)
	}
	if o.Config.Labels[runtime.LabelManaged] != "true" || o.Config.Labels[runtime.LabelRole] != runtime.RoleSandbox {
		t.Fatalf("sandbox labels = %v", o.Config.Labels)
	}
	if o.Config.Hostname != "ip-10-0-0-1" || o.Config.StopSignal != "SIGKILL" ||
		len(o.HostConfig.DNS) != 1 || o.HostConfig.DNS[0].String() != "172.18.0.1" ||
		string(o.HostConfig.NetworkMode) != "net1" || o.HostConfig.Init == nil || *o.HostConfig.Init ||
		o.NetworkingConfig.EndpointsConfig["net1"] == nil {
		t.Fatalf("options = %+v %+v", o.Config, o.HostConfig)
	}
	if _, err := sandboxCreateOptions(runtime.SandboxSpec{DNS: []string{"not-an-ip"}}, "i", "n"); err == nil {
		t.Fatal("want an error for a bad DNS address")
	}
}
