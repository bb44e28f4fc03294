package ecs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// containers builds n container definitions "c0".."c{n-1}" for a
// Fargate task definition; edit sets dependencies.
func withContainers(family string, n int, edit func(cds []types.ContainerDefinition)) *ecs.RegisterTaskDefinitionInput {
	in := fargateTD(family)
	base := in.ContainerDefinitions[0]
	in.ContainerDefinitions = nil
	for i := range n {
		cd := base
		cd.Name, cd.PortMappings = aws.String("c"+string(rune('0'+i))), nil
		in.ContainerDefinitions = append(in.ContainerDefinitions, cd)
	}
	edit(in.ContainerDefinitions)
	return in
}

func dep(name string, cond types.ContainerCondition) types.ContainerDependency {
	return types.ContainerDependency{ContainerName: aws.String(name), Condition: cond}
}

// dependsOn cycles are refused (they would keep the task PENDING
// forever); chains and diamonds are accepted.
func TestDependsOnCyclesRefused(t *testing.T) {
	c := startStatic(t)
	cycle := errOf[*types.ClientException]("Container dependencies should not have a cycle")
	tests := []struct {
		name  string
		in    *ecs.RegisterTaskDefinitionInput
		check errCheck
	}{
		{"self", withContainers("self", 1, func(cds []types.ContainerDefinition) {
			cds[0].DependsOn = []types.ContainerDependency{dep("c0", types.ContainerConditionStart)}
		}), cycle},
		{"a-b-a", withContainers("ab", 2, func(cds []types.ContainerDefinition) {
			cds[0].DependsOn = []types.ContainerDependency{dep("c1", types.ContainerConditionStart)}
			cds[1].DependsOn = []types.ContainerDependency{dep("c0", types.ContainerConditionHealthy)}
		}), cycle},
		{"a-b-c-a", withContainers("abc", 3, func(cds []types.ContainerDefinition) {
			cds[0].DependsOn = []types.ContainerDependency{dep("c1", types.ContainerConditionStart)}
			cds[1].DependsOn = []types.ContainerDependency{dep("c2", types.ContainerConditionStart)}
			cds[2].DependsOn = []types.ContainerDependency{dep("c0", types.ContainerConditionStart)}
		}), cycle},
		{"unknown container", withContainers("unknown", 1, func(cds []types.ContainerDefinition) {
			cds[0].DependsOn = []types.ContainerDependency{dep("nope", types.ContainerConditionStart)}
		}), errLike[*types.ClientException]("not in the task definition")},
		{"SUCCESS on an essential container", withContainers("essential", 2, func(cds []types.ContainerDefinition) {
			cds[0].DependsOn = []types.ContainerDependency{dep("c1", types.ContainerConditionSuccess)}
		}), errOf[*types.ClientException]("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.RegisterTaskDefinition(context.Background(), tt.in)
			tt.check(t, err)
		})
	}
	// A diamond (c0 → c1, c2 → c3) and an init container are no cycle.
	register(t, c, withContainers("diamond", 4, func(cds []types.ContainerDefinition) {
		cds[0].DependsOn = []types.ContainerDependency{dep("c1", types.ContainerConditionStart), dep("c2", types.ContainerConditionStart)}
		cds[1].DependsOn = []types.ContainerDependency{dep("c3", types.ContainerConditionSuccess)}
		cds[2].DependsOn = []types.ContainerDependency{dep("c3", types.ContainerConditionComplete)}
		cds[3].Essential = aws.Bool(false)
	}))
}

// A link cycle is refused with ECS's message.
func TestLinkCycleRefused(t *testing.T) {
	c := startStatic(t)
	in := ec2TD("links")
	second := in.ContainerDefinitions[0]
	second.Name, second.PortMappings = aws.String("other"), nil
	in.ContainerDefinitions[0].Links = []string{"other:db"}
	second.Links = []string{"app"}
	in.ContainerDefinitions = append(in.ContainerDefinitions, second)
	_, err := c.RegisterTaskDefinition(context.Background(), in)
	errOf[*types.ClientException]("Container links should not have a cycle")(t, err)
}

// What Fargate refuses is refused for requiresCompatibilities FARGATE,
// and accepted for EC2.
func TestFargateRefusesHostSettings(t *testing.T) {
	c := startStatic(t)
	container := func(edit func(cd *types.ContainerDefinition)) func(in *ecs.RegisterTaskDefinitionInput) {
		return func(in *ecs.RegisterTaskDefinitionInput) { edit(&in.ContainerDefinitions[0]) }
	}
	tests := []struct {
		name string
		edit func(in *ecs.RegisterTaskDefinitionInput)
		want string
	}{
		{"host network", func(in *ecs.RegisterTaskDefinitionInput) { in.NetworkMode = types.NetworkModeHost },
			"Fargate only supports network mode 'awsvpc'."},
		{"pidMode host", func(in *ecs.RegisterTaskDefinitionInput) { in.PidMode = types.PidModeHost },
			"The 'host' pidMode is not supported for Fargate. Only 'task' is supported."},
		{"ipcMode", func(in *ecs.RegisterTaskDefinitionInput) { in.IpcMode = types.IpcModeTask },
			"ipcMode is not supported for Fargate."},
		{"privileged", container(func(cd *types.ContainerDefinition) { cd.Privileged = aws.Bool(true) }),
			"Privileged mode is not supported for Fargate."},
		{"devices", container(func(cd *types.ContainerDefinition) {
			cd.LinuxParameters = &types.LinuxParameters{Devices: []types.Device{{HostPath: aws.String("/dev/fuse")}}}
		}), "Invalid setting for container 'app'. linuxParameters.devices is not supported for Fargate."},
		{"capability beyond SYS_PTRACE", container(func(cd *types.ContainerDefinition) {
			cd.LinuxParameters = &types.LinuxParameters{Capabilities: &types.KernelCapabilities{Add: []string{"SYS_PTRACE", "NET_ADMIN"}}}
		}), "Invalid setting for container 'app'. Fargate supports only 'SYS_PTRACE' in linuxParameters.capabilities.add, not 'NET_ADMIN'."},
		{"host volume", func(in *ecs.RegisterTaskDefinitionInput) {
			in.Volumes = []types.Volume{{Name: aws.String("h"), Host: &types.HostVolumeProperties{SourcePath: aws.String("/etc")}}}
		}, "Fargate does not support host volumes: volume 'h' sets host.sourcePath."},
		{"docker volume", func(in *ecs.RegisterTaskDefinitionInput) {
			in.Volumes = []types.Volume{{Name: aws.String("d"), DockerVolumeConfiguration: &types.DockerVolumeConfiguration{Driver: aws.String("local")}}}
		}, "Fargate does not support Docker volumes: volume 'd' sets dockerVolumeConfiguration."},
		{"log driver", container(func(cd *types.ContainerDefinition) {
			cd.LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriverJsonFile}
		}), "Invalid setting for container 'app'. The log driver 'json-file' is not supported for Fargate: use awslogs, splunk or awsfirelens."},
		{"awslogs without a stream prefix", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ExecutionRoleArn = aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole")
			in.ContainerDefinitions[0].LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "g"}}
		}, "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs."},
		{"awslogs without an execution role", container(func(cd *types.ContainerDefinition) {
			cd.LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "g", "awslogs-stream-prefix": "ecs"}}
		}), "Fargate requires task definition to have execution role ARN to support log driver awslogs."},
		{"links", container(func(cd *types.ContainerDefinition) { cd.Links = []string{"db"} }),
			"Invalid setting for container 'app'. links are not supported for Fargate."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fargateTD("fg")
			tt.edit(in)
			_, err := c.RegisterTaskDefinition(context.Background(), in)
			errOf[*types.ClientException](tt.want)(t, err)
		})
	}
	// The same settings are an EC2 task definition's to make.
	in := ec2TD("ec2-host")
	in.PidMode, in.IpcMode = types.PidModeHost, types.IpcModeHost
	in.ContainerDefinitions[0].LinuxParameters = &types.LinuxParameters{Capabilities: &types.KernelCapabilities{Add: []string{"NET_ADMIN"}}}
	in.Volumes = []types.Volume{{Name: aws.String("h"), Host: &types.HostVolumeProperties{SourcePath: aws.String("/etc")}}}
	register(t, c, in)
	// SYS_PTRACE and task pidMode are Fargate's.
	fg := fargateTD("fg-ok")
	fg.PidMode = types.PidModeTask
	fg.ContainerDefinitions[0].LinuxParameters = &types.LinuxParameters{Capabilities: &types.KernelCapabilities{Add: []string{"SYS_PTRACE"}}}
	register(t, c, fg)
}

// Image references and ports outside what ECS accepts are refused.
func TestImageAndPortChecks(t *testing.T) {
	c := startStatic(t)
	tests := []struct {
		name string
		edit func(cd *types.ContainerDefinition)
		want string
	}{
		{"image with a space", func(cd *types.ContainerDefinition) { cd.Image = aws.String("nginx latest") }, "Container.image contains invalid characters."},
		{"image with a quote", func(cd *types.ContainerDefinition) { cd.Image = aws.String(`nginx"`) }, "Container.image contains invalid characters."},
		{"image too long", func(cd *types.ContainerDefinition) { cd.Image = aws.String(strings.Repeat("a", 256)) }, "Container.image should not exceed 255 characters."},
		{"host port", func(cd *types.ContainerDefinition) {
			cd.PortMappings = []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(70000)}}
		}, "Invalid hostPort 70000 for container 'app'."},
		{"container port", func(cd *types.ContainerDefinition) {
			cd.PortMappings = []types.PortMapping{{ContainerPort: aws.Int32(-1)}}
		}, "Invalid containerPort -1 for container 'app'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ec2TD("img")
			tt.edit(&in.ContainerDefinitions[0])
			_, err := c.RegisterTaskDefinition(context.Background(), in)
			errOf[*types.ClientException](tt.want)(t, err)
		})
	}
	for _, image := range []string{"public.ecr.aws/nginx/nginx:1.27", "localhost:5000/team/app#x", "app@sha256:" + strings.Repeat("a", 64)} {
		in := ec2TD("img-ok")
		in.ContainerDefinitions[0].Image = aws.String(image)
		register(t, c, in)
	}
}
