package ecs

import (
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// fargateLogDrivers are the log drivers Fargate accepts.
var fargateLogDrivers = map[types.LogDriver]bool{
	types.LogDriverAwslogs: true, types.LogDriverSplunk: true, types.LogDriverAwsfirelens: true,
}

// validFargateSettings refuses what a Fargate task definition may not
// set: the host's namespaces, devices and paths, and the Docker settings
// Fargate does not expose (ECS Developer Guide, "Amazon ECS task
// definition differences for Fargate").
func validFargateSettings(in *ecs.RegisterTaskDefinitionInput) error {
	if in.PidMode == types.PidModeHost {
		return errClient("The 'host' pidMode is not supported for Fargate. Only 'task' is supported.")
	}
	if in.IpcMode != "" {
		return errClient("ipcMode is not supported for Fargate.")
	}
	if len(in.PlacementConstraints) > 0 {
		return errClient("Task definition placement constraints are not supported for Fargate.")
	}
	for _, v := range in.Volumes {
		if v.Host != nil && v.Host.SourcePath != nil {
			return errClient("Fargate does not support host volumes: volume '%s' sets host.sourcePath.", deref(v.Name))
		}
		if v.DockerVolumeConfiguration != nil {
			return errClient("Fargate does not support Docker volumes: volume '%s' sets dockerVolumeConfiguration.", deref(v.Name))
		}
	}
	for _, c := range in.ContainerDefinitions {
		if err := validFargateContainer(c); err != nil {
			return err
		}
		if err := validFargateAwslogs(in, c.LogConfiguration); err != nil {
			return err
		}
	}
	return nil
}

// validFargateAwslogs: Fargate names awslogs streams after the prefix and
// pulls nothing without the execution role (messages as quoted in
// aws/aws-cdk#1422 and virtual-kubelet/virtual-kubelet#193).
func validFargateAwslogs(in *ecs.RegisterTaskDefinitionInput, lc *types.LogConfiguration) error {
	if lc == nil || lc.LogDriver != types.LogDriverAwslogs {
		return nil
	}
	if lc.Options["awslogs-stream-prefix"] == "" {
		return errClient("Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.")
	}
	if deref(in.ExecutionRoleArn) == "" {
		return errClient("Fargate requires task definition to have execution role ARN to support log driver awslogs.")
	}
	return nil
}

func validFargateContainer(c types.ContainerDefinition) error {
	name := deref(c.Name)
	switch {
	case deref(c.Privileged):
		return errClient("Privileged mode is not supported for Fargate.")
	case len(c.Links) > 0:
		return errClient("Invalid setting for container '%s'. links are not supported for Fargate.", name)
	case c.Hostname != nil:
		return errClient("Invalid setting for container '%s'. hostname is not supported for Fargate.", name)
	case len(c.ExtraHosts) > 0:
		return errClient("Invalid setting for container '%s'. extraHosts are not supported for Fargate.", name)
	case len(c.DnsServers) > 0 || len(c.DnsSearchDomains) > 0:
		return errClient("Invalid setting for container '%s'. dnsServers and dnsSearchDomains are not supported for Fargate.", name)
	case len(c.DockerSecurityOptions) > 0:
		return errClient("Invalid setting for container '%s'. dockerSecurityOptions are not supported for Fargate.", name)
	case c.LogConfiguration != nil && !fargateLogDrivers[c.LogConfiguration.LogDriver]:
		return errClient("Invalid setting for container '%s'. The log driver '%s' is not supported for Fargate: use awslogs, splunk or awsfirelens.", name, c.LogConfiguration.LogDriver)
	}
	return validFargateLinux(name, c.LinuxParameters)
}

func validFargateLinux(name string, lp *types.LinuxParameters) error {
	if lp == nil {
		return nil
	}
	switch {
	case len(lp.Devices) > 0:
		return errClient("Invalid setting for container '%s'. linuxParameters.devices is not supported for Fargate.", name)
	case lp.SharedMemorySize != nil:
		return errClient("Invalid setting for container '%s'. linuxParameters.sharedMemorySize is not supported for Fargate.", name)
	case len(lp.Tmpfs) > 0:
		return errClient("Invalid setting for container '%s'. linuxParameters.tmpfs is not supported for Fargate.", name)
	case lp.MaxSwap != nil || lp.Swappiness != nil:
		return errClient("Invalid setting for container '%s'. linuxParameters.maxSwap and swappiness are not supported for Fargate.", name)
	}
	if lp.Capabilities != nil {
		for _, c := range lp.Capabilities.Add {
			if c != "SYS_PTRACE" {
				return errClient("Invalid setting for container '%s'. Fargate supports only 'SYS_PTRACE' in linuxParameters.capabilities.add, not '%s'.", name, c)
			}
		}
	}
	return nil
}
