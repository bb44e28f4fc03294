package dnsserver

import (
	"testing"

	"github.com/miekg/dns"
)

// A name with a view answers the view's addresses to queries that arrive
// at the view's address (over UDP and TCP), and the shared ones elsewhere;
// other names answer the same everywhere.
func TestViewsAnswerByLocalAddress(t *testing.T) {
	snap := Snapshot{
		Zones: []Zone{{Name: "internal.svc.", SOATTL: 15, Services: []Service{
			{Name: "worker", Records: []RecordSpec{{Type: TypeA, TTL: 10}}, Instances: []Instance{{ID: "t1", IPv4: "10.0.0.7", Healthy: true}}},
		}}},
		Static: map[string][]string{"lb.elb.test.": {"127.0.1.1"}, "other.elb.test.": {"127.0.1.2"}},
		Views:  map[string]map[string][]string{"127.0.0.2": {"lb.elb.test.": {"169.254.172.1"}}},
	}
	s, _ := startServer(t, Options{Addrs: []string{"127.0.0.1:0", "127.0.0.2:0"}}, &snap)
	host, tasks := s.Addrs()[0], s.Addrs()[1]
	tests := []struct {
		addr, name, want string
	}{
		{host, "lb.elb.test.", "127.0.1.1"},
		{tasks, "lb.elb.test.", "169.254.172.1"},
		{tasks, "other.elb.test.", "127.0.1.2"},
		{tasks, "worker.internal.svc.", "10.0.0.7"},
	}
	for _, tt := range tests {
		for _, network := range []string{"udp", "tcp"} {
			m := new(dns.Msg)
			m.SetQuestion(tt.name, dns.TypeA)
			r, _, err := (&dns.Client{Net: network}).Exchange(m, tt.addr)
			if err != nil {
				t.Fatalf("%s %s at %s: %v", network, tt.name, tt.addr, err)
			}
			if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != tt.want {
				t.Errorf("%s %s at %s: %v, want %s", network, tt.name, tt.addr, r.Answer, tt.want)
			}
		}
	}
	if err := s.Update(Snapshot{Views: map[string]map[string][]string{"not-an-ip": {}}}); err == nil {
		t.Error("a view keyed by a non-address was accepted")
	}
}
