package reconcile

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// unappliedSetting names the first setting of a task definition that the
// emulator cannot apply to its containers, or "" when there is none.
// Such a task fails at start with the setting named in its stoppedReason:
// running it without the setting would let it pass here and fail on AWS,
// or the reverse. (Fargate task definitions cannot set most of these;
// RegisterTaskDefinition refuses them.)
func unappliedSetting(td types.TaskDefinition, cd types.ContainerDefinition) string {
	switch {
	case td.PidMode != "":
		return "pidMode"
	case td.IpcMode != "":
		return "ipcMode"
	case len(cd.Links) > 0:
		return "links"
	case cd.Hostname != nil:
		return "hostname"
	case len(cd.ExtraHosts) > 0:
		return "extraHosts"
	case len(cd.DnsServers) > 0:
		return "dnsServers"
	case len(cd.DnsSearchDomains) > 0:
		return "dnsSearchDomains"
	case len(cd.DockerSecurityOptions) > 0:
		return "dockerSecurityOptions"
	case len(cd.SystemControls) > 0:
		return "systemControls"
	case len(cd.ResourceRequirements) > 0:
		return "resourceRequirements"
	}
	if s := unappliedLinux(cd.LinuxParameters); s != "" {
		return s
	}
	return unappliedVolume(td, cd)
}

func unappliedLinux(lp *types.LinuxParameters) string {
	switch {
	case lp == nil:
		return ""
	case len(lp.Devices) > 0:
		return "linuxParameters.devices"
	case lp.SharedMemorySize != nil:
		return "linuxParameters.sharedMemorySize"
	case len(lp.Tmpfs) > 0:
		return "linuxParameters.tmpfs"
	case lp.MaxSwap != nil || lp.Swappiness != nil:
		return "linuxParameters.maxSwap"
	}
	return ""
}

// unappliedVolume names a volume kind the container mounts that has no
// local equivalent (Docker volume drivers, EFS, FSx).
func unappliedVolume(td types.TaskDefinition, cd types.ContainerDefinition) string {
	for _, mp := range cd.MountPoints {
		for _, v := range td.Volumes {
			if deref(v.Name) != deref(mp.SourceVolume) {
				continue
			}
			switch {
			case v.DockerVolumeConfiguration != nil:
				return fmt.Sprintf("volumes[%s].dockerVolumeConfiguration", deref(v.Name))
			case v.EfsVolumeConfiguration != nil:
				return fmt.Sprintf("volumes[%s].efsVolumeConfiguration", deref(v.Name))
			case v.FsxWindowsFileServerVolumeConfiguration != nil:
				return fmt.Sprintf("volumes[%s].fsxWindowsFileServerVolumeConfiguration", deref(v.Name))
			}
		}
	}
	return ""
}

// capabilities are the Linux capabilities a container adds and drops.
// Adding any but SYS_PTRACE (the one Fargate allows) widens what the
// container may do on this host, so it needs --allow-privileged.
func (r *Reconciler) capabilities(cd types.ContainerDefinition) (add, drop []string, err error) {
	if cd.LinuxParameters == nil || cd.LinuxParameters.Capabilities == nil {
		return nil, nil, nil
	}
	c := cd.LinuxParameters.Capabilities
	for _, a := range c.Add {
		if a != "SYS_PTRACE" && !r.opts.AllowPrivileged {
			return nil, nil, fmt.Errorf("container %s adds the capability %s, which this emulator refuses unless started with --allow-privileged", deref(cd.Name), a)
		}
	}
	return c.Add, c.Drop, nil
}
