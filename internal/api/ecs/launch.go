package ecs

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// launchParams is what RunTask and the service scheduler have in common
// when they create a task.
type launchParams struct {
	cluster          *types.Cluster
	definition       *types.TaskDefinition
	launchType       types.LaunchType
	capacityProvider string
	network          *types.NetworkConfiguration
	overrides        *types.TaskOverride
	group, startedBy string
	serviceARN       string
	tags             []types.Tag
	enableExec       bool
}

// launchTask creates a task in PROVISIONING with desiredStatus RUNNING; the
// reconciler takes it from there. Callers hold the lock.
func (s *Store) launchTask(p launchParams) *Task {
	id := s.ids.TaskID()
	cluster := deref(p.cluster.ClusterName)
	arn := taskARN(s.region, s.account, cluster, id)
	td := p.definition
	t := &Task{ServiceARN: p.serviceARN, Definition: clone.Of(*td), ContainerIDs: map[string]string{}}
	t.Task = types.Task{
		TaskArn:               ptr(arn),
		ClusterArn:            p.cluster.ClusterArn,
		TaskDefinitionArn:     td.TaskDefinitionArn,
		Group:                 ptr(p.group),
		LaunchType:            p.launchType,
		LastStatus:            ptr("PROVISIONING"),
		DesiredStatus:         ptr("RUNNING"),
		CreatedAt:             s.timestamp(),
		Version:               1,
		HealthStatus:          types.HealthStatusUnknown,
		Cpu:                   taskSize(td.Cpu, p.overrides, func(o *types.TaskOverride) *string { return o.Cpu }, td, cpuOf),
		Memory:                taskSize(td.Memory, p.overrides, func(o *types.TaskOverride) *string { return o.Memory }, td, memoryOf),
		Overrides:             taskOverrides(p.overrides),
		AvailabilityZone:      ptr(s.region + "a"),
		Connectivity:          types.ConnectivityConnected,
		EnableExecuteCommand:  p.enableExec,
		Attributes:            []types.Attribute{},
		InferenceAccelerators: []types.InferenceAccelerator{},
		Tags:                  nonNil(clone.Of(p.tags)),
	}
	if p.startedBy != "" {
		t.StartedBy = ptr(p.startedBy)
	}
	if p.capacityProvider != "" {
		t.CapacityProviderName = ptr(p.capacityProvider)
	}
	if p.launchType == types.LaunchTypeFargate {
		t.PlatformVersion, t.PlatformFamily = ptr("1.4.0"), ptr("Linux")
		t.EphemeralStorage = &types.EphemeralStorage{SizeInGiB: 20}
		t.FargateEphemeralStorage = &types.TaskEphemeralStorage{SizeInGiB: 20}
	}
	attachmentID := s.ids.UUID()
	if td.NetworkMode == types.NetworkModeAwsvpc {
		subnet := s.placeSubnet(p)
		t.Attachments = []types.Attachment{eniAttachment(attachmentID, subnet)}
		if zone := s.zoneOf(subnet); zone != "" {
			t.AvailabilityZone = ptr(zone)
		}
		if p.network != nil && p.network.AwsvpcConfiguration != nil {
			t.SecurityGroups = append([]string(nil), p.network.AwsvpcConfiguration.SecurityGroups...)
		}
	} else {
		t.Attachments = []types.Attachment{}
	}
	for _, cd := range td.ContainerDefinitions {
		t.Containers = append(t.Containers, s.newContainer(t, cd, cluster, id, attachmentID))
	}
	s.putTask(arn, t)
	s.setTags(arn, p.tags)
	s.changed(ChangeTask, arn)
	return t
}

func (s *Store) newContainer(t *Task, cd types.ContainerDefinition, cluster, taskID, attachmentID string) types.Container {
	c := types.Container{
		ContainerArn:      ptr(containerARN(s.region, s.account, cluster, taskID, s.ids.UUID())),
		TaskArn:           t.TaskArn,
		Name:              cd.Name,
		Image:             cd.Image,
		LastStatus:        ptr("PENDING"),
		HealthStatus:      types.HealthStatusUnknown,
		Cpu:               ptr(strconv.Itoa(int(cd.Cpu))),
		NetworkBindings:   []types.NetworkBinding{},
		NetworkInterfaces: []types.NetworkInterface{},
	}
	if cd.Memory != nil {
		c.Memory = ptr(strconv.Itoa(int(*cd.Memory)))
	}
	if cd.MemoryReservation != nil {
		c.MemoryReservation = ptr(strconv.Itoa(int(*cd.MemoryReservation)))
	}
	if t.Definition.NetworkMode == types.NetworkModeAwsvpc {
		c.NetworkInterfaces = []types.NetworkInterface{{AttachmentId: ptr(attachmentID)}}
	}
	return c
}

// placeSubnet picks an awsvpc task's subnet as ECS spreads tasks: the
// configured subnet with the fewest live tasks of the same group (service
// or RunTask group) in the cluster, the first one on a tie. Callers hold
// the lock.
func (s *Store) placeSubnet(p launchParams) string {
	if p.network == nil || p.network.AwsvpcConfiguration == nil || len(p.network.AwsvpcConfiguration.Subnets) == 0 {
		return ""
	}
	subnets := p.network.AwsvpcConfiguration.Subnets
	if len(subnets) == 1 {
		return subnets[0]
	}
	used := map[string]int{}
	for _, t := range s.byGroup[p.group] {
		if deref(t.ClusterArn) == deref(p.cluster.ClusterArn) && deref(t.DesiredStatus) != "STOPPED" {
			used[taskSubnetID(t)]++
		}
	}
	best := subnets[0]
	for _, sn := range subnets[1:] {
		if used[sn] < used[best] {
			best = sn
		}
	}
	return best
}

// zoneOf is a subnet's availability zone as EC2 has it, "" when unknown.
func (s *Store) zoneOf(subnet string) string {
	if s.subnetZone == nil || subnet == "" {
		return ""
	}
	return s.subnetZone(s.region, subnet)
}

// taskSubnetID is the subnet of an awsvpc task's interface.
func taskSubnetID(t *Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if deref(d.Name) == "subnetId" {
				return deref(d.Value)
			}
		}
	}
	return ""
}

// eniAttachment is the awsvpc network interface a task shows before its
// address is known; the reconciler fills in the address when it has one.
func eniAttachment(id, subnet string) types.Attachment {
	return types.Attachment{
		Id:      ptr(id),
		Type:    ptr("ElasticNetworkInterface"),
		Status:  ptr("PRECREATED"),
		Details: []types.KeyValuePair{{Name: ptr("subnetId"), Value: ptr(subnet)}},
	}
}

func taskOverrides(o *types.TaskOverride) *types.TaskOverride {
	if o == nil {
		return &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{}, InferenceAcceleratorOverrides: []types.InferenceAcceleratorOverride{}}
	}
	v := clone.Of(*o)
	v.ContainerOverrides = nonNil(v.ContainerOverrides)
	v.InferenceAcceleratorOverrides = nonNil(v.InferenceAcceleratorOverrides)
	return &v
}

// taskSize picks the task-level cpu or memory: the override, the task
// definition's value, or the sum over containers.
func taskSize(def *string, o *types.TaskOverride, get func(*types.TaskOverride) *string, td *types.TaskDefinition, sum func(types.ContainerDefinition) int32) *string {
	if o != nil && get(o) != nil {
		return ptr(*get(o))
	}
	if def != nil {
		return ptr(*def)
	}
	var total int32
	for _, c := range td.ContainerDefinitions {
		total += sum(c)
	}
	if total == 0 {
		return nil
	}
	return ptr(strconv.Itoa(int(total)))
}

func cpuOf(c types.ContainerDefinition) int32 { return c.Cpu }

func memoryOf(c types.ContainerDefinition) int32 {
	if c.Memory != nil {
		return *c.Memory
	}
	return deref(c.MemoryReservation)
}
