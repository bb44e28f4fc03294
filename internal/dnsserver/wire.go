package dnsserver

import "github.com/miekg/dns"

// Every record of a table is also packed once, when the snapshot is
// compiled, so that the UDP fast path (fastpath.go) assembles an answer by
// copying bytes instead of building and packing a dns.Msg per query.
//
// The records are packed uncompressed, as the handler's replies are (a
// dns.Msg packs without compression unless told otherwise): wire form
// without compression pointers can be put after any question and in any
// order, which is what lets one packing serve every query's own question
// and every MULTIVALUE shuffle.

// packWire fills the wire form of every entry and zone SOA of t. It runs
// before t is published, so writing to the records is safe (dns.PackRR
// sets their Rdlength).
func packWire(t *table) {
	for _, n := range t.names {
		for _, set := range n.sets {
			packEntries(set.healthy)
			packEntries(set.unhealthy)
		}
	}
	for _, z := range t.zones {
		z.soaWire = packRR(z.soa)
	}
}

func packEntries(es []entry) {
	for i := range es {
		e := &es[i]
		e.wire = packRR(e.rr)
		e.extraWire = nil
		for _, rr := range e.extra {
			w := packRR(rr)
			if w == nil {
				// Without all of the Additional records the fast
				// path cannot answer: leave it to the handler.
				e.wire, e.extraWire = nil, nil
				break
			}
			e.extraWire = append(e.extraWire, w...)
		}
	}
}

// packRR returns rr in uncompressed wire form, nil if it does not pack.
func packRR(rr dns.RR) []byte {
	buf := make([]byte, dns.Len(rr))
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return nil
	}
	return buf[:off]
}
