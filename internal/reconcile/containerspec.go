package reconcile

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// Container names are deterministic, like the ECS agent's
// (ecs-<family>-<revision>-<container>-<task id>), so a task's containers
// can be found and re-created without guessing.
func containerName(t *ecsapi.Task, container string) string {
	return fmt.Sprintf("ecs-%s-%d-%s-%s", deref(t.Definition.Family), t.Definition.Revision, container, ecsapi.TaskID(*t.TaskArn))
}

func sandboxName(t *ecsapi.Task) string {
	return containerName(t, "sandbox")
}

// labels are the durable record linking a container to its task.
func (r *Reconciler) labels(t *ecsapi.Task, container, role string) map[string]string {
	l := map[string]string{
		runtime.LabelManaged:        "true",
		runtime.LabelRole:           role,
		runtime.LabelTaskARN:        *t.TaskArn,
		runtime.LabelCluster:        clusterName(deref(t.ClusterArn)),
		runtime.LabelTaskDefFamily:  deref(t.Definition.Family),
		runtime.LabelTaskDefVersion: strconv.Itoa(int(t.Definition.Revision)),
		runtime.LabelRegion:         regionOf(*t.TaskArn),
		runtime.LabelScope:          r.opts.Scope,
	}
	if container != "" {
		l[runtime.LabelContainerName] = container
	}
	if t.ServiceARN != "" {
		l[runtime.LabelServiceName] = lastElem(t.ServiceARN)
	}
	return l
}

// containerSpec maps a container definition, with the task's overrides,
// to what the engine needs. It refuses privileged mode and host mounts
// unless the operator allowed them.
func (r *Reconciler) containerSpec(t *ecsapi.Task, cd types.ContainerDefinition) (runtime.ContainerSpec, error) {
	name := deref(cd.Name)
	o := override(t, name)
	spec := runtime.ContainerSpec{
		Name:           containerName(t, name),
		Image:          deref(cd.Image),
		Labels:         r.labels(t, name, runtime.RoleContainer),
		SandboxID:      t.SandboxID,
		Entrypoint:     cd.EntryPoint,
		Command:        cd.Command,
		Env:            environment(t, cd, o, r.injectedVariables(t, name)),
		WorkingDir:     deref(cd.WorkingDirectory),
		User:           deref(cd.User),
		CPUShares:      int64(cd.Cpu),
		MemoryBytes:    mib(cd.Memory),
		StopTimeout:    stopTimeout(cd),
		HealthCheck:    healthCheck(cd.HealthCheck),
		ReadonlyRootfs: deref(cd.ReadonlyRootFilesystem),
		Privileged:     deref(cd.Privileged),
	}
	for k, v := range cd.DockerLabels {
		if _, taken := spec.Labels[k]; !taken {
			spec.Labels[k] = v
		}
	}
	spec.MemoryReservationBytes = mib(cd.MemoryReservation)
	if o != nil {
		if o.Command != nil {
			spec.Command = o.Command
		}
		if o.Cpu != nil {
			spec.CPUShares = int64(*o.Cpu)
		}
		if o.Memory != nil {
			spec.MemoryBytes = mib(o.Memory)
		}
		if o.MemoryReservation != nil {
			spec.MemoryReservationBytes = mib(o.MemoryReservation)
		}
	}
	for _, u := range cd.Ulimits {
		spec.Ulimits = append(spec.Ulimits, runtime.Ulimit{Name: string(u.Name), Soft: int64(u.SoftLimit), Hard: int64(u.HardLimit)})
	}
	if s := unappliedSetting(t.Definition, cd); s != "" {
		return spec, fmt.Errorf("container %s sets %s, which this emulator does not apply", name, s)
	}
	var err error
	if spec.CapAdd, spec.CapDrop, err = r.capabilities(cd); err != nil {
		return spec, err
	}
	if cd.LinuxParameters != nil {
		spec.Init = deref(cd.LinuxParameters.InitProcessEnabled)
	}
	if spec.Privileged && !r.opts.AllowPrivileged {
		return spec, fmt.Errorf("container %s asks for privileged mode, which this emulator refuses unless started with --allow-privileged", name)
	}
	binds, err := r.hostMounts(t, cd)
	spec.Binds = binds
	return spec, err
}

// hostMounts turns mountPoints on host volumes into bind mounts; volumes
// without a host path are left to the container's own filesystem.
func (r *Reconciler) hostMounts(t *ecsapi.Task, cd types.ContainerDefinition) ([]string, error) {
	var binds []string
	for _, mp := range cd.MountPoints {
		for _, v := range t.Definition.Volumes {
			if deref(v.Name) != deref(mp.SourceVolume) || v.Host == nil || v.Host.SourcePath == nil {
				continue
			}
			if !r.opts.AllowHostMounts {
				return nil, fmt.Errorf("container %s mounts host path %s, which this emulator refuses unless started with --allow-host-mounts", deref(cd.Name), *v.Host.SourcePath)
			}
			b := *v.Host.SourcePath + ":" + deref(mp.ContainerPath)
			if deref(mp.ReadOnly) {
				b += ":ro"
			}
			binds = append(binds, b)
		}
	}
	return binds, nil
}

func override(t *ecsapi.Task, name string) *types.ContainerOverride {
	if t.Overrides == nil {
		return nil
	}
	for i := range t.Overrides.ContainerOverrides {
		if deref(t.Overrides.ContainerOverrides[i].Name) == name {
			return &t.Overrides.ContainerOverrides[i]
		}
	}
	return nil
}

// environment merges the definition's variables with the override's (the
// override wins) after the variables Fargate itself sets and the
// emulator's injected ones.
func environment(t *ecsapi.Task, cd types.ContainerDefinition, o *types.ContainerOverride, injected []types.KeyValuePair) []string {
	region := regionOf(*t.TaskArn)
	vars := map[string]string{
		"AWS_EXECUTION_ENV":  "AWS_ECS_FARGATE",
		"AWS_REGION":         region,
		"AWS_DEFAULT_REGION": region,
	}
	order := []string{"AWS_EXECUTION_ENV", "AWS_REGION", "AWS_DEFAULT_REGION"}
	add := func(kvs []types.KeyValuePair) {
		for _, kv := range kvs {
			k := deref(kv.Name)
			if _, seen := vars[k]; !seen {
				order = append(order, k)
			}
			vars[k] = deref(kv.Value)
		}
	}
	add(injected)
	add(cd.Environment)
	if o != nil {
		add(o.Environment)
	}
	env := make([]string, 0, len(order))
	for _, k := range order {
		env = append(env, k+"="+vars[k])
	}
	return env
}

func mib(p *int32) int64 {
	if p == nil {
		return 0
	}
	return int64(*p) << 20
}

// stopTimeout is the container's stopTimeout, 30 s by default as on Fargate.
func stopTimeout(cd types.ContainerDefinition) time.Duration {
	if cd.StopTimeout != nil && *cd.StopTimeout > 0 {
		return time.Duration(*cd.StopTimeout) * time.Second
	}
	return 30 * time.Second
}

func healthCheck(hc *types.HealthCheck) *runtime.HealthCheck {
	if hc == nil || len(hc.Command) == 0 || hc.Command[0] == "NONE" {
		return nil
	}
	sec := func(p *int32, def int32) time.Duration {
		if p == nil {
			return time.Duration(def) * time.Second
		}
		return time.Duration(*p) * time.Second
	}
	return &runtime.HealthCheck{
		Test:        hc.Command,
		Interval:    sec(hc.Interval, 30),
		Timeout:     sec(hc.Timeout, 5),
		StartPeriod: sec(hc.StartPeriod, 0),
		Retries:     int(deref(hc.Retries)),
	}
}
