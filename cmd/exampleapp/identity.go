package main

import (
	"net"
	"os"
)

// identity is who answered a request: the role, the version of the image
// and the task it runs in (a task's hostname and its awsvpc address).
type identity struct {
	Service  string   `json:"service"`
	Version  string   `json:"version"`
	Hostname string   `json:"hostname"`
	IPs      []string `json:"ips"`
}

// currentIdentity describes this process; it is read per request because
// the container's addresses are cheap to list and could change.
func currentIdentity(service, version string) identity {
	host, _ := os.Hostname()
	return identity{Service: service, Version: version, Hostname: host, IPs: ipv4Addresses()}
}

// ipv4Addresses lists the non-loopback IPv4 addresses of the interfaces.
func ipv4Addresses() []string {
	ips := []string{}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ips
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ips = append(ips, n.IP.String())
		}
	}
	return ips
}
