package main

import (
	"fmt"
	"os"
	"time"

	"github.com/miekg/dns"
)

// exitRefused is dnsquery's exit code for a REFUSED answer, so that a test
// can tell a resolver that turns it away from one it cannot reach.
const exitRefused = 5

// cmdDNSQuery asks one DNS server one question and prints the answer's
// rcode: exit 0 on NOERROR, exitRefused on REFUSED, 1 otherwise.
func cmdDNSQuery(args []string) int {
	proto := "udp"
	if len(args) > 0 && args[0] == "-tcp" {
		proto, args = "tcp", args[1:]
	}
	if len(args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: testapp dnsquery [-tcp] <server:port> <name> <type>")
		return exitUsage
	}
	qtype, ok := dns.StringToType[args[2]]
	if !ok {
		fmt.Fprintf(os.Stderr, "testapp dnsquery: unknown type %q\n", args[2])
		return exitUsage
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(args[1]), qtype)
	c := &dns.Client{Net: proto, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp dnsquery: %v\n", err)
		return 1
	}
	fmt.Println(dns.RcodeToString[r.Rcode])
	switch r.Rcode {
	case dns.RcodeSuccess:
		return 0
	case dns.RcodeRefused:
		return exitRefused
	}
	return 1
}
