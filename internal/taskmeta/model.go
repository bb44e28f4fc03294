package taskmeta

import "time"

// The documents below are the task metadata endpoint's, in the shapes
// and with the field names of Fargate's version 4 ("Amazon ECS task
// metadata v4 JSON response for tasks on Fargate"); version 3 shows a
// subset of them (see v3.go). The app fills them in from ECS's store and
// the engine on every request.

// Task is the document of ${ECS_CONTAINER_METADATA_URI_V4}/task.
type Task struct {
	Cluster          string      `json:"Cluster"`
	TaskARN          string      `json:"TaskARN"`
	Family           string      `json:"Family"`
	Revision         string      `json:"Revision"`
	DesiredStatus    string      `json:"DesiredStatus,omitempty"`
	KnownStatus      string      `json:"KnownStatus"`
	Limits           *Limits     `json:"Limits,omitempty"`
	PullStartedAt    *time.Time  `json:"PullStartedAt,omitempty"`
	PullStoppedAt    *time.Time  `json:"PullStoppedAt,omitempty"`
	ExecutionStopped *time.Time  `json:"ExecutionStoppedAt,omitempty"`
	AvailabilityZone string      `json:"AvailabilityZone,omitempty"`
	LaunchType       string      `json:"LaunchType,omitempty"`
	ServiceName      string      `json:"ServiceName,omitempty"`
	Containers       []Container `json:"Containers,omitempty"`

	// RoleARN is the task role, whose credentials the endpoint serves
	// ("" for a task without one, which gets none, as on ECS).
	RoleARN string `json:"-"`
}

// Limits are CPU (vCPUs for a task, CPU units for a container) and memory
// (MiB).
type Limits struct {
	CPU    *float64 `json:"CPU,omitempty"`
	Memory *int64   `json:"Memory,omitempty"`
}

// Container is the document of ${ECS_CONTAINER_METADATA_URI_V4}, and one
// entry of a task's Containers.
type Container struct {
	DockerID      string            `json:"DockerId"`
	Name          string            `json:"Name"`
	DockerName    string            `json:"DockerName"`
	Image         string            `json:"Image"`
	ImageID       string            `json:"ImageID"`
	Ports         []Port            `json:"Ports,omitempty"`
	Labels        map[string]string `json:"Labels,omitempty"`
	DesiredStatus string            `json:"DesiredStatus"`
	KnownStatus   string            `json:"KnownStatus"`
	ExitCode      *int              `json:"ExitCode,omitempty"`
	Limits        Limits            `json:"Limits"`
	CreatedAt     *time.Time        `json:"CreatedAt,omitempty"`
	StartedAt     *time.Time        `json:"StartedAt,omitempty"`
	FinishedAt    *time.Time        `json:"FinishedAt,omitempty"`
	Type          string            `json:"Type"`
	Health        *Health           `json:"Health,omitempty"`
	LogDriver     string            `json:"LogDriver,omitempty"`
	LogOptions    map[string]string `json:"LogOptions,omitempty"`
	ContainerARN  string            `json:"ContainerARN,omitempty"`
	Networks      []Network         `json:"Networks,omitempty"`
}

// Port is a port mapping; in awsvpc mode the host port is the container's.
type Port struct {
	ContainerPort uint16 `json:"ContainerPort,omitempty"`
	Protocol      string `json:"Protocol,omitempty"`
	HostPort      uint16 `json:"HostPort,omitempty"`
}

// Health is a container's health check status (agent's lower-case keys).
type Health struct {
	Status string `json:"status"`
}

// Network is the task's network interface as a container sees it.
type Network struct {
	NetworkMode              string   `json:"NetworkMode,omitempty"`
	IPv4Addresses            []string `json:"IPv4Addresses,omitempty"`
	AttachmentIndex          *int     `json:"AttachmentIndex,omitempty"`
	MACAddress               string   `json:"MACAddress,omitempty"`
	IPv4SubnetCIDRBlock      string   `json:"IPv4SubnetCIDRBlock,omitempty"`
	DomainNameServers        []string `json:"DomainNameServers,omitempty"`
	DomainNameSearchList     []string `json:"DomainNameSearchList,omitempty"`
	PrivateDNSName           string   `json:"PrivateDNSName,omitempty"`
	SubnetGatewayIPv4Address string   `json:"SubnetGatewayIpv4Address,omitempty"`
}

// Credentials are a task role's credentials as the ECS credentials
// endpoint returns them (what every SDK's container provider reads).
type Credentials struct {
	RoleArn         string    `json:"RoleArn"`
	AccessKeyID     string    `json:"AccessKeyId"`
	SecretAccessKey string    `json:"SecretAccessKey"`
	Token           string    `json:"Token"`
	Expiration      time.Time `json:"Expiration"`
}
