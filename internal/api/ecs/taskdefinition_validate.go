package ecs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// validateTaskDefinition applies RegisterTaskDefinition's rules (spec §3.2.2, §4.1).
func validateTaskDefinition(in *ecs.RegisterTaskDefinitionInput) error {
	if in.Family == nil || *in.Family == "" {
		return errClient("Family should not be null or empty.")
	}
	if err := validName(*in.Family, "Family"); err != nil {
		return err
	}
	if len(in.ContainerDefinitions) == 0 {
		return errClient("Container list cannot be empty.")
	}
	if len(in.ContainerDefinitions) > maxContainersPerTaskDef {
		return errClient("Too many containers: a task definition can have at most %d container definitions.", maxContainersPerTaskDef)
	}
	if err := validEnum(in.NetworkMode, "networkMode"); err != nil {
		return err
	}
	for _, c := range in.RequiresCompatibilities {
		if err := validEnum(c, "requiresCompatibilities"); err != nil {
			return err
		}
	}
	if requires(in.RequiresCompatibilities, types.CompatibilityFargate) {
		if err := validFargate(in); err != nil {
			return err
		}
	}
	return validContainers(in)
}

func requires(list []types.Compatibility, c types.Compatibility) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// validEnum rejects a value outside an SDK enum's set (empty is allowed).
func validEnum[T interface {
	~string
	Values() []T
}](v T, member string) error {
	if v == "" {
		return nil
	}
	for _, ok := range v.Values() {
		if v == ok {
			return nil
		}
	}
	return errValidation(v, member, fmt.Sprintf("Member must satisfy enum value set: %v", v.Values()))
}

func validFargate(in *ecs.RegisterTaskDefinitionInput) error {
	if in.NetworkMode != types.NetworkModeAwsvpc {
		return errClient("Fargate only supports network mode 'awsvpc'.")
	}
	if in.Cpu == nil {
		return errClient("Fargate requires task definition to have 'cpu' value set.")
	}
	if in.Memory == nil {
		return errClient("Fargate requires task definition to have 'memory' value set.")
	}
	if msg := fargateSizeError(*in.Cpu, *in.Memory); msg != "" {
		return errClient("%s", msg)
	}
	return validFargateSettings(in)
}

// fargateSizeError returns why a task cpu/memory pair is not a Fargate
// size, or "" when it is one.
func fargateSizeError(cpu, memory string) string {
	c, okC := parseUnits(cpu, "vcpu", 1024)
	m, okM := parseUnits(memory, "gb", 1024)
	if !okC || !okM {
		return "Invalid 'cpu' or 'memory' setting for Fargate."
	}
	type span struct{ lo, hi, step int }
	sizes := map[int]span{
		256: {512, 2048, 512}, 512: {1024, 4096, 1024}, 1024: {2048, 8192, 1024},
		2048: {4096, 16384, 1024}, 4096: {8192, 30720, 1024},
		8192: {16384, 61440, 4096}, 16384: {32768, 122880, 8192},
	}
	sp, ok := sizes[c]
	if c == 256 && m == 512 || ok && m >= sp.lo && m <= sp.hi && (m-sp.lo)%sp.step == 0 {
		return ""
	}
	return fmt.Sprintf("No Fargate configuration exists for given values: %s CPU, %s memory. See the Amazon ECS documentation for the valid values.", cpu, memory)
}

// parseUnits reads "1024", "1 vCPU" or "2 GB" into CPU units or MiB.
func parseUnits(v, unit string, per float64) (int, bool) {
	v = strings.TrimSpace(strings.ToLower(v))
	if n, err := strconv.Atoi(v); err == nil {
		return n, n > 0
	}
	num, ok := strings.CutSuffix(v, unit)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || f <= 0 {
		return 0, false
	}
	return int(f * per), true
}

// imagePattern is what ECS allows in an image reference: letters,
// numbers, hyphens, underscores, colons, periods, forward slashes and
// number signs, and @ before a digest.
var imagePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_:./#@]+$`)

func validContainers(in *ecs.RegisterTaskDefinitionInput) error {
	names := map[string]bool{}
	essential := false
	for _, c := range in.ContainerDefinitions {
		name := deref(c.Name)
		if name == "" {
			return errClient("Container.name should not be null or empty.")
		}
		if err := validName(name, "Container name"); err != nil {
			return err
		}
		if names[name] {
			return errClient("Duplicate container name found: %s", name)
		}
		names[name] = true
		if deref(c.Image) == "" {
			return errClient("Container.image should not be null or empty.")
		}
		if len(*c.Image) > 255 {
			return errClient("Container.image should not exceed 255 characters.")
		}
		if !imagePattern.MatchString(*c.Image) {
			return errClient("Container.image contains invalid characters.")
		}
		if c.Essential == nil || *c.Essential {
			essential = true
		}
		if err := validContainer(in, c); err != nil {
			return err
		}
	}
	if !essential {
		return errClient("Task definition does not have any essential container.")
	}
	return validDependencies(in.ContainerDefinitions)
}

func validContainer(in *ecs.RegisterTaskDefinitionInput, c types.ContainerDefinition) error {
	name := deref(c.Name)
	ec2Only := len(in.RequiresCompatibilities) == 0 || requires(in.RequiresCompatibilities, types.CompatibilityEc2)
	if ec2Only && !requires(in.RequiresCompatibilities, types.CompatibilityFargate) &&
		in.Memory == nil && c.Memory == nil && c.MemoryReservation == nil {
		return errClient("Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", name)
	}
	if c.Memory != nil && c.MemoryReservation != nil && *c.MemoryReservation > *c.Memory {
		return errClient("Invalid setting for container '%s'. 'memoryReservation' must be less than or equal to 'memory'.", name)
	}
	if c.Memory != nil && *c.Memory < 6 {
		return errClient("Invalid setting for container '%s'. The minimum allowed value for 'memory' is 6 MiB.", name)
	}
	for _, pm := range c.PortMappings {
		if pm.ContainerPort != nil && (*pm.ContainerPort < 0 || *pm.ContainerPort > 65535) {
			return errClient("Invalid containerPort %d for container '%s'.", *pm.ContainerPort, name)
		}
		if pm.HostPort != nil && (*pm.HostPort < 0 || *pm.HostPort > 65535) {
			return errClient("Invalid hostPort %d for container '%s'.", *pm.HostPort, name)
		}
		if in.NetworkMode == types.NetworkModeAwsvpc && pm.HostPort != nil && pm.ContainerPort != nil && *pm.HostPort != *pm.ContainerPort {
			return errClient("When networkMode=awsvpc, the host ports and container ports in port mappings must match.")
		}
		if err := validEnum(pm.Protocol, "portMappings.protocol"); err != nil {
			return err
		}
	}
	if c.StopTimeout != nil && (*c.StopTimeout < 0 || *c.StopTimeout > 120 && requires(in.RequiresCompatibilities, types.CompatibilityFargate)) {
		return errClient("Invalid setting for container '%s'. 'stopTimeout' must be between 2 and 120 seconds.", name)
	}
	// The agent reads secrets with the execution role's credentials.
	if len(c.Secrets) > 0 && deref(in.ExecutionRoleArn) == "" {
		return errClient("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
	}
	for _, f := range c.EnvironmentFiles {
		if err := validEnum(f.Type, "environmentFiles.type"); err != nil {
			return err
		}
	}
	return validHealthCheck(name, c.HealthCheck)
}

func validHealthCheck(name string, hc *types.HealthCheck) error {
	if hc == nil {
		return nil
	}
	if len(hc.Command) == 0 || hc.Command[0] != "CMD" && hc.Command[0] != "CMD-SHELL" && hc.Command[0] != "NONE" {
		return errClient("Invalid setting for container '%s'. healthCheck.command must start with CMD or CMD-SHELL.", name)
	}
	ranges := []struct {
		v      *int32
		member string
		lo, hi int32
	}{
		{hc.Interval, "interval", 5, 300},
		{hc.Timeout, "timeout", 2, 60},
		{hc.Retries, "retries", 1, 10},
		{hc.StartPeriod, "startPeriod", 0, 300},
	}
	for _, r := range ranges {
		if r.v != nil && (*r.v < r.lo || *r.v > r.hi) {
			return errClient("Invalid setting for container '%s'. healthCheck.%s must be between %d and %d.", name, r.member, r.lo, r.hi)
		}
	}
	return nil
}
