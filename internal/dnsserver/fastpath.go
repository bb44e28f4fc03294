package dnsserver

import (
	"encoding/binary"

	"github.com/miekg/dns"
)

// The UDP fast path answers the common query straight from its bytes and
// the wire forms packed with the snapshot (wire.go): one question, class
// IN, for a name of a zone, with at most a bare EDNS0 OPT (version 0, no
// options). It builds the very bytes ServeDNS would send, without
// unpacking the query, building a dns.Msg or packing it. Anything else
// (other opcodes or classes, ANY, names to forward or to escape, CNAMEs to
// follow, EDNS0 options, answers too large for the client) it declines,
// and the query goes to ServeDNS as before: the fast path needs to agree
// with the handler only on the queries it takes (fastpath_test.go).

const (
	headerLen = 12
	// optLen is the OPT record of every EDNS0 reply: root owner, type
	// OPT, class udpSize, TTL 0 (no extended rcode, version 0, DO clear),
	// no options. It is what write's SetEdns0(udpSize, false) packs to.
	optLen = 11

	flagQR = 1 << 15
	flagAA = 1 << 10
	flagRD = 1 << 8
	flagRA = 1 << 7
	flagCD = 1 << 4
)

// fastQuery is a query as the fast path reads it.
type fastQuery struct {
	flags    uint16
	question []byte // name, type and class as sent
	qtype    uint16
	edns     bool
	size     int // the largest reply the client takes
	// key is the name lower-cased in presentation form, the table's key;
	// labels holds the offset in key of each label, for zone lookups.
	key    []byte
	labels []int
}

// parseQuery reads pkt into q, reusing q's slices. It reports false for
// anything the fast path leaves to ServeDNS.
func parseQuery(pkt []byte, q *fastQuery) bool {
	if len(pkt) < headerLen {
		return false
	}
	flags := binary.BigEndian.Uint16(pkt[2:])
	opcode := flags >> 11 & 0xF
	if flags&flagQR != 0 || opcode != dns.OpcodeQuery ||
		binary.BigEndian.Uint16(pkt[4:]) != 1 || // questions
		binary.BigEndian.Uint16(pkt[6:]) != 0 || // answers
		binary.BigEndian.Uint16(pkt[8:]) != 0 { // authority
		return false
	}
	additional := binary.BigEndian.Uint16(pkt[10:])
	if additional > 1 {
		return false
	}
	q.flags = flags
	end, ok := parseName(pkt, headerLen, q)
	if !ok || end+4 > len(pkt) {
		return false
	}
	q.qtype = binary.BigEndian.Uint16(pkt[end:])
	if binary.BigEndian.Uint16(pkt[end+2:]) != dns.ClassINET || special(q.qtype) {
		return false
	}
	q.question = pkt[headerLen : end+4]
	off := end + 4
	q.edns, q.size = false, dns.MinMsgSize
	if additional == 1 {
		size, ok := parseOPT(pkt[off:])
		if !ok {
			return false
		}
		q.edns, q.size = true, min(max(size, dns.MinMsgSize), udpSize)
		off += optLen
	}
	return off == len(pkt)
}

// parseName reads the uncompressed name at pkt[off:] into q.key and
// q.labels and returns the offset after it. Names with characters that
// presentation form escapes (dots, spaces, non-ASCII...) are declined.
func parseName(pkt []byte, off int, q *fastQuery) (int, bool) {
	q.key, q.labels = q.key[:0], q.labels[:0]
	start := off
	for {
		if off >= len(pkt) {
			return 0, false
		}
		n := int(pkt[off])
		if n == 0 {
			break
		}
		if n > 63 || off+1+n >= len(pkt) { // also declines compression pointers
			return 0, false
		}
		q.labels = append(q.labels, len(q.key))
		for _, c := range pkt[off+1 : off+1+n] {
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			default:
				return 0, false
			}
			q.key = append(q.key, c)
		}
		q.key = append(q.key, '.')
		off += 1 + n
	}
	off++
	if off-start > 255 {
		return 0, false
	}
	if len(q.key) == 0 {
		q.key = append(q.key, '.')
	}
	q.labels = append(q.labels, len(q.key)-1) // the root, "."
	return off, true
}

// special are the query types ServeDNS answers other than from the table.
func special(qtype uint16) bool {
	switch qtype {
	case dns.TypeANY, dns.TypeAXFR, dns.TypeIXFR, dns.TypeOPT, dns.TypeTSIG, dns.TypeTKEY, dns.TypeNone:
		return true
	}
	return false
}

// parseOPT reads the only additional record of a query, which must be
// an OPT record of version 0 without options (and nothing after it), and
// returns the client's UDP size.
func parseOPT(rr []byte) (int, bool) {
	if len(rr) != optLen || rr[0] != 0 || binary.BigEndian.Uint16(rr[1:]) != dns.TypeOPT ||
		rr[6] != 0 || // version
		binary.BigEndian.Uint16(rr[9:]) != 0 { // options
		return 0, false
	}
	return int(binary.BigEndian.Uint16(rr[3:])), true
}

// fastAnswer is the reusable state of one fast path: its query, its
// reply buffer and the scratch of MULTIVALUE shuffles.
type fastAnswer struct {
	q       fastQuery
	out     []byte
	scratch []entry
}

// answer returns the reply to pkt from t, or false when pkt is for
// ServeDNS. The reply is valid until the next call.
func (s *Server) answer(a *fastAnswer, t *table, pkt []byte) ([]byte, bool) {
	q := &a.q
	if !parseQuery(pkt, q) {
		return nil, false
	}
	n := t.names[string(q.key)]
	var z *zone
	if n != nil {
		z = n.zone
	} else if z = zoneOfKey(t, q); z == nil {
		return nil, false // forwarded
	}
	if z.soaWire == nil {
		return nil, false
	}

	flags := uint16(flagQR|flagAA) | q.flags&(flagRD|flagCD)
	if s.fwd != nil {
		flags |= flagRA
	}
	out := append(a.out[:0], pkt[:headerLen]...)
	out = append(out, q.question...)
	var answers, extras int
	switch {
	case n == nil:
		flags |= dns.RcodeNameError
	case hasCNAME(n) && q.qtype != dns.TypeCNAME:
		return nil, false // to follow
	default:
		set := n.sets[q.qtype]
		if set == nil {
			break
		}
		if need := max(len(set.healthy), len(set.unhealthy)); cap(a.scratch) < need {
			a.scratch = make([]entry, 0, need)
		}
		picked := set.pick(s.rnd, a.scratch)
		for _, e := range picked {
			if e.wire == nil {
				return nil, false
			}
			out = append(out, e.wire...)
			answers++
		}
		for _, e := range picked {
			out = append(out, e.extraWire...)
			extras += len(e.extra)
		}
	}
	var authority int
	if answers == 0 {
		// NXDOMAIN, or NODATA: the SOA for negative caching.
		out = append(out, z.soaWire...)
		authority = 1
	}
	if q.edns {
		out = append(out, 0, byte(dns.TypeOPT>>8), byte(dns.TypeOPT), byte(udpSize>>8), byte(udpSize&0xFF), 0, 0, 0, 0, 0, 0)
		extras++
	}
	a.out = out
	if len(out) > q.size {
		return nil, false // ServeDNS truncates
	}
	binary.BigEndian.PutUint16(out[2:], flags)
	binary.BigEndian.PutUint16(out[6:], uint16(answers))
	binary.BigEndian.PutUint16(out[8:], uint16(authority))
	binary.BigEndian.PutUint16(out[10:], uint16(extras))
	return out, true
}

// hasCNAME reports whether a CNAME answers every query for n, as in
// Server.local.
func hasCNAME(n *node) bool {
	cn := n.sets[dns.TypeCNAME]
	return cn != nil && len(cn.healthy)+len(cn.unhealthy) > 0
}

// zoneOfKey is table.zoneOf for the parsed name, on its bytes: indexing
// a map with string(bytes) does not allocate.
func zoneOfKey(t *table, q *fastQuery) *zone {
	for _, off := range q.labels {
		if z := t.zones[string(q.key[off:])]; z != nil && !z.exact {
			return z
		}
	}
	return nil
}
