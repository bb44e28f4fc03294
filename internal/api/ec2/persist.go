package ec2

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Persistence. A region keeps one record per ID it knows (an ID with a
// creation number, tags or a resource behind it), under
// "<account>/<region>/<ID prefix>/<ID>", plus one "<account>/<region>/_meta"
// record with the counters new IDs and public addresses come from. An ID's
// record holds its creation number, its tags and, for a resource, the
// resource: so creating, tagging and deleting write that one record, and a
// change to one resource costs one record, not the region.
//
// Changes are marked with touch (the ID) under the store's lock; unlock
// writes the marked records and waits for the store before the operation
// returns. IDs themselves are random, so none is reused after a restart;
// the counters keep creation order and public addresses going on.

// metaKey is the region's counters record, below the region prefix.
const metaKey = "_meta"

// idRecord is what is stored for one ID; exactly one resource field (or
// none, for an ID such as a rule or an association) is set.
type idRecord struct {
	Seq              int                     `json:",omitempty"`
	Tags             []types.Tag             `json:",omitempty"`
	Vpc              *vpcJSON                `json:",omitempty"`
	Subnet           *subnetJSON             `json:",omitempty"`
	SecurityGroup    *groupJSON              `json:",omitempty"`
	InternetGateway  *types.InternetGateway  `json:",omitempty"`
	RouteTable       *types.RouteTable       `json:",omitempty"`
	NatGateway       *natJSON                `json:",omitempty"`
	Address          *types.Address          `json:",omitempty"`
	VpcEndpoint      *types.VpcEndpoint      `json:",omitempty"`
	NetworkInterface *types.NetworkInterface `json:",omitempty"`
	Instance         *instanceJSON           `json:",omitempty"`
	KeyPair          *types.KeyPairInfo      `json:",omitempty"`
}

type metaRecord struct {
	Next       int    // last creation number handed out
	NextPublic uint32 // last public address offset handed out
}

// The JSON shadows of the records with unexported fields.
type vpcJSON struct {
	Vpc          types.Vpc
	Cidrs        []netip.Prefix
	DNSSupport   bool
	DNSHostnames bool
	UsageMetrics bool
	MainTable    string
	DefaultGroup string
	NetworkACL   string
}

type subnetJSON struct {
	Subnet types.Subnet
	Cidr   netip.Prefix
	Used   map[netip.Addr]string
}

type groupJSON struct {
	Group types.SecurityGroup
	Rules []*types.SecurityGroupRule
}

type natJSON struct {
	Nat     types.NatGateway
	Changed time.Time
	ENI     string
	Alloc   string
}

type instanceJSON struct {
	Instance    types.Instance
	Reservation string
	PrimaryENI  string
	Changed     time.Time
}

// regionPrefix is the key prefix of a region's records.
func (s *Store) regionPrefix() string { return s.account + "/" + s.region + "/" }

// touch marks the record of id changed (created, updated or deleted).
func (s *Store) touch(id string) {
	if id != "" {
		s.journal.Touch(s.regionPrefix() + idPrefix(id) + "/" + id)
	}
}

// touchMeta marks the counters changed.
func (s *Store) touchMeta() { s.journal.Touch(s.regionPrefix() + metaKey) }

// unlock writes what the critical section changed, releases the lock and
// waits until the store has it. A failed write is logged (and reported by
// the state directory's health); the change stays in memory.
func (s *Store) unlock() {
	p := s.journal.Flush(s.storedValue)
	s.mu.Unlock()
	if err := p.Wait(); err != nil {
		s.api.opts.Logger.Error("ec2: state not saved", "region", s.region, "err", err)
	}
}

// storedValue is the current value of a touched key (false: delete it).
func (s *Store) storedValue(key string) (any, bool) {
	id := key[strings.LastIndexByte(key, '/')+1:]
	if id == metaKey {
		return metaRecord{Next: s.next, NextPublic: s.nextPublic}, true
	}
	return s.recordOf(id)
}

// recordOf builds the record of one ID, false when the region no longer
// knows it.
func (s *Store) recordOf(id string) (idRecord, bool) {
	seq, known := s.seq[id]
	r := idRecord{Seq: seq, Tags: s.tags[id]}
	found := true
	switch idPrefix(id) {
	case "vpc":
		v, ok := s.vpcs[id]
		if found = ok; ok {
			r.Vpc = &vpcJSON{Vpc: v.vpc, Cidrs: v.cidrs, DNSSupport: v.dnsSupport, DNSHostnames: v.dnsHostnames,
				UsageMetrics: v.usageMetrics, MainTable: v.mainTable, DefaultGroup: v.defaultGroup, NetworkACL: v.networkACL}
		}
	case "subnet":
		v, ok := s.subnets[id]
		if found = ok; ok {
			r.Subnet = &subnetJSON{Subnet: v.subnet, Cidr: v.cidr, Used: v.used}
		}
	case "sg":
		v, ok := s.groups[id]
		if found = ok; ok {
			r.SecurityGroup = &groupJSON{Group: v.group, Rules: v.rules}
		}
	case "igw":
		r.InternetGateway, found = s.igws[id]
	case "rtb":
		r.RouteTable, found = s.rtbs[id]
	case "nat":
		v, ok := s.nats[id]
		if found = ok; ok {
			r.NatGateway = &natJSON{Nat: v.nat, Changed: v.changed, ENI: v.eni, Alloc: v.alloc}
		}
	case "eipalloc":
		r.Address, found = s.eips[id]
	case "vpce":
		r.VpcEndpoint, found = s.endpoints[id]
	case "eni":
		r.NetworkInterface, found = s.enis[id]
	case "i":
		v, ok := s.instances[id]
		if found = ok; ok {
			r.Instance = &instanceJSON{Instance: v.inst, Reservation: v.reservation, PrimaryENI: v.primaryENI, Changed: v.changed}
		}
	case "key":
		r.KeyPair = s.keyByID(id)
		found = r.KeyPair != nil
	default:
		found = false
	}
	return r, known || found || len(r.Tags) > 0
}

// Restore loads every region's records, replacing what the API holds. A
// restored region is not seeded again: its default VPC is the stored one
// (or stays deleted).
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.regions = map[string]*Store{}
	return a.opts.State.LoadPrefix(a.opts.Account+"/", func(key string, value []byte) error {
		parts := strings.Split(key, "/")
		if len(parts) < 3 {
			return fmt.Errorf("unexpected key")
		}
		region := parts[1]
		s, ok := a.regions[region]
		if !ok {
			s = newEmptyStore(a, region)
			a.regions[region] = s
		}
		return s.load(parts[len(parts)-1], value)
	})
}

// load puts one decoded record into the store.
func (s *Store) load(id string, value []byte) error {
	if id == metaKey {
		var m metaRecord
		if err := json.Unmarshal(value, &m); err != nil {
			return err
		}
		s.next, s.nextPublic = m.Next, m.NextPublic
		return nil
	}
	var r idRecord
	if err := json.Unmarshal(value, &r); err != nil {
		return err
	}
	if r.Seq != 0 {
		s.seq[id] = r.Seq
	}
	if len(r.Tags) > 0 {
		s.tags[id] = r.Tags
	}
	switch {
	case r.Vpc != nil:
		v := r.Vpc
		s.vpcs[id] = &vpcRecord{vpc: v.Vpc, cidrs: v.Cidrs, dnsSupport: v.DNSSupport, dnsHostnames: v.DNSHostnames,
			usageMetrics: v.UsageMetrics, mainTable: v.MainTable, defaultGroup: v.DefaultGroup, networkACL: v.NetworkACL}
	case r.Subnet != nil:
		used := r.Subnet.Used
		if used == nil {
			used = map[netip.Addr]string{}
		}
		s.subnets[id] = &subnetRecord{subnet: r.Subnet.Subnet, cidr: r.Subnet.Cidr, used: used}
	case r.SecurityGroup != nil:
		s.groups[id] = &groupRecord{group: r.SecurityGroup.Group, rules: r.SecurityGroup.Rules}
	case r.InternetGateway != nil:
		s.igws[id] = r.InternetGateway
	case r.RouteTable != nil:
		s.rtbs[id] = r.RouteTable
	case r.NatGateway != nil:
		n := r.NatGateway
		s.nats[id] = &natRecord{nat: n.Nat, changed: n.Changed, eni: n.ENI, alloc: n.Alloc}
	case r.Address != nil:
		s.eips[id] = r.Address
	case r.VpcEndpoint != nil:
		s.endpoints[id] = r.VpcEndpoint
	case r.NetworkInterface != nil:
		s.enis[id] = r.NetworkInterface
	case r.Instance != nil:
		n := r.Instance
		s.instances[id] = &instanceRecord{inst: n.Instance, reservation: n.Reservation, primaryENI: n.PrimaryENI, changed: n.Changed}
	case r.KeyPair != nil:
		if r.KeyPair.KeyName == nil {
			return fmt.Errorf("key pair without a name")
		}
		s.keys[*r.KeyPair.KeyName] = r.KeyPair
	}
	return nil
}
