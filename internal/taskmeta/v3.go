package taskmeta

// Version 3 of the endpoint predates the task's launch type and service
// name and the interface details of version 4: its documents are version
// 4's without them.

func v3Task(t Task) Task {
	t.LaunchType, t.ServiceName = "", ""
	cs := make([]Container, len(t.Containers))
	for i, c := range t.Containers {
		cs[i] = v3Container(c)
	}
	t.Containers = cs
	return t
}

func v3Container(c Container) Container {
	c.LogDriver, c.LogOptions, c.ContainerARN = "", nil, ""
	nets := make([]Network, len(c.Networks))
	for i, n := range c.Networks {
		nets[i] = Network{NetworkMode: n.NetworkMode, IPv4Addresses: n.IPv4Addresses}
	}
	c.Networks = nets
	return c
}
