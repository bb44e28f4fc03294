package ec2

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// maxInstancesPerCall bounds RunInstances: the emulator's instance limit.
const maxInstancesPerCall = 100

// instanceRecord is an instance (a record: nothing runs), its
// reservation and its primary interface.
type instanceRecord struct {
	inst        types.Instance
	reservation string
	primaryENI  string
	changed     time.Time
}

var stateCodes = map[types.InstanceStateName]int32{
	types.InstanceStateNamePending: 0, types.InstanceStateNameRunning: 16, types.InstanceStateNameShuttingDown: 32,
	types.InstanceStateNameTerminated: 48, types.InstanceStateNameStopping: 64, types.InstanceStateNameStopped: 80,
}

func instanceState(n types.InstanceStateName) *types.InstanceState {
	return &types.InstanceState{Name: n, Code: ptr(stateCodes[n])}
}

func (r *instanceRecord) state() types.InstanceStateName { return r.inst.State.Name }

func (s *Store) setState(r *instanceRecord, n types.InstanceStateName, now time.Time) {
	r.inst.State, r.changed = instanceState(n), now
	s.touch(*r.inst.InstanceId)
}

// advanceInstance ends a transition whose time has come: pending →
// running, stopping → stopped, shutting-down → terminated (when the
// instance's interface is deleted with it).
func (s *Store) advanceInstance(r *instanceRecord, now time.Time) {
	if now.Sub(r.changed) < s.api.opts.TransitionDelay {
		return
	}
	switch r.state() {
	case types.InstanceStateNamePending:
		s.setState(r, types.InstanceStateNameRunning, now)
	case types.InstanceStateNameStopping:
		s.setState(r, types.InstanceStateNameStopped, now)
		r.inst.StateReason = &types.StateReason{Code: ptr("Client.UserInitiatedShutdown"), Message: ptr("Client.UserInitiatedShutdown: User initiated shutdown")}
	case types.InstanceStateNameShuttingDown:
		s.setState(r, types.InstanceStateNameTerminated, now)
		r.inst.StateReason = &types.StateReason{Code: ptr("Client.UserInitiatedShutdown"), Message: ptr("Client.UserInitiatedShutdown: User initiated shutdown")}
		s.removeInterface(r.primaryENI)
	}
}

// instanceView shows an instance with its interface's addresses.
func (s *Store) instanceView(r *instanceRecord) types.Instance {
	v := clone.Of(r.inst)
	v.Tags = s.tagsOf(*v.InstanceId)
	v.NetworkInterfaces = []types.InstanceNetworkInterface{}
	e, ok := s.enis[r.primaryENI]
	if !ok {
		v.PrivateDnsName, v.PrivateIpAddress, v.SubnetId, v.VpcId, v.PublicDnsName = ptr(""), nil, nil, nil, ptr("")
		return v
	}
	ni := types.InstanceNetworkInterface{
		NetworkInterfaceId: ptr(*e.NetworkInterfaceId), SubnetId: ptr(*e.SubnetId), VpcId: ptr(*e.VpcId), MacAddress: ptr(*e.MacAddress),
		PrivateIpAddress: ptr(*e.PrivateIpAddress), PrivateDnsName: ptr(*e.PrivateDnsName), Groups: clone.Of(e.Groups),
		OwnerId: ptr(s.account), Status: e.Status, SourceDestCheck: ptr(true), InterfaceType: ptr(string(e.InterfaceType)),
		Description: ptr(deref(e.Description)),
		Attachment: &types.InstanceNetworkInterfaceAttachment{AttachmentId: clone.Of(e.Attachment.AttachmentId), DeviceIndex: ptr[int32](0),
			Status: types.AttachmentStatusAttached, DeleteOnTermination: ptr(true), AttachTime: clone.Of(e.Attachment.AttachTime), NetworkCardIndex: ptr[int32](0)},
		PrivateIpAddresses: []types.InstancePrivateIpAddress{{Primary: ptr(true), PrivateIpAddress: ptr(*e.PrivateIpAddress), PrivateDnsName: ptr(*e.PrivateDnsName)}},
	}
	v.PublicDnsName = ptr("")
	if e.Association != nil && r.state() != types.InstanceStateNameStopped {
		assoc := &types.InstanceNetworkInterfaceAssociation{PublicIp: ptr(*e.Association.PublicIp), PublicDnsName: clone.Of(e.Association.PublicDnsName), IpOwnerId: clone.Of(e.Association.IpOwnerId)}
		ni.Association = assoc
		ni.PrivateIpAddresses[0].Association = assoc
		v.PublicIpAddress, v.PublicDnsName = ptr(*assoc.PublicIp), ptr(deref(assoc.PublicDnsName))
	}
	v.NetworkInterfaces = append(v.NetworkInterfaces, ni)
	return v
}

// launchSubnet is where RunInstances puts its instances: the subnet asked
// for, or the default subnet of the zone asked for (or of the first zone).
func (s *Store) launchSubnet(in *ec2.RunInstancesInput) (*subnetRecord, error) {
	id := deref(in.SubnetId)
	if id == "" && len(in.NetworkInterfaces) > 0 {
		id = deref(in.NetworkInterfaces[0].SubnetId)
	}
	if id != "" {
		return lookup(s.subnets, "subnet", id)
	}
	zoneName := zonesOf(s.region)[0].name
	if in.Placement != nil && in.Placement.AvailabilityZone != nil {
		zoneName = *in.Placement.AvailabilityZone
	}
	for _, sn := range s.subnets {
		if deref(sn.subnet.DefaultForAz) && *sn.subnet.AvailabilityZone == zoneName {
			return sn, nil
		}
	}
	return nil, errorf("MissingInput", "No subnets found for the default VPC '%s'. Please specify a subnet.", s.defaultVpcID())
}

// launchGroups are the security groups of new instances, by ID or name.
func (s *Store) launchGroups(vpc string, in *ec2.RunInstancesInput) ([]string, error) {
	ids := append([]string{}, in.SecurityGroupIds...)
	if len(in.NetworkInterfaces) > 0 {
		ids = append(ids, in.NetworkInterfaces[0].Groups...)
	}
	for _, name := range in.SecurityGroups {
		g := s.groupByName(vpc, name)
		if g == nil {
			return nil, errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", name, vpc)
		}
		ids = append(ids, *g.group.GroupId)
	}
	return ids, nil
}

// RunInstances records MinCount to MaxCount instances (at most 100),
// pending and soon running. Nothing is started.
func (s *Store) RunInstances(_ context.Context, in *ec2.RunInstancesInput) (*ec2.RunInstancesOutput, error) {
	if in.ImageId == nil {
		return nil, errMissing("ImageId")
	}
	if err := checkID("ami", *in.ImageId); err != nil {
		return nil, err
	}
	if in.MinCount == nil || in.MaxCount == nil {
		return nil, errMissing("MinCount")
	}
	lo, hi := *in.MinCount, *in.MaxCount
	switch {
	case lo < 1 || hi < lo:
		return nil, errInvalidParameterValue("Invalid value '%d' for minCount. Must be between 1 and maxCount.", lo)
	case lo > maxInstancesPerCall:
		return nil, errorf("InstanceLimitExceeded", "You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", lo, maxInstancesPerCall)
	}
	n := min(hi, maxInstancesPerCall)
	if in.PrivateIpAddress != nil && n > 1 {
		return nil, errInvalidParameterCombination("Cannot specify a private IP address when launching more than one instance")
	}
	specs, err := tagsFor(in.TagSpecifications, types.ResourceTypeInstance, types.ResourceTypeNetworkInterface, types.ResourceTypeVolume)
	if err != nil {
		return nil, err
	}
	var out *ec2.RunInstancesOutput
	err = s.write(func() error {
		sn, err := s.launchSubnet(in)
		if err != nil {
			return err
		}
		groups, err := s.launchGroups(*sn.subnet.VpcId, in)
		if err != nil {
			return err
		}
		if in.KeyName != nil && s.keys[*in.KeyName] == nil {
			return errNotFound("key", *in.KeyName)
		}
		if free := int(deref(sn.subnet.AvailableIpAddressCount)); free < int(lo) {
			return errorf("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", *sn.subnet.SubnetId)
		}
		n = min(n, int32(deref(sn.subnet.AvailableIpAddressCount)))
		res := s.newID("r")
		out = &ec2.RunInstancesOutput{ReservationId: ptr(res), OwnerId: ptr(s.account), Groups: []types.GroupIdentifier{}}
		for i := range n {
			r, err := s.launch(in, sn, groups, res, i, specs)
			if err != nil {
				return err
			}
			out.Instances = append(out.Instances, s.instanceView(r))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// launch records one instance with its primary interface.
func (s *Store) launch(in *ec2.RunInstancesInput, sn *subnetRecord, groups []string, res string, index int32, tags map[types.ResourceType][]types.Tag) (*instanceRecord, error) {
	e, err := s.addInterface(interfaceSpec{subnet: *sn.subnet.SubnetId, groups: groups, address: deref(in.PrivateIpAddress)})
	if err != nil {
		return nil, err
	}
	now := s.now()
	id := s.newID("i")
	e.Status = types.NetworkInterfaceStatusInUse
	e.Attachment = &types.NetworkInterfaceAttachment{AttachmentId: ptr(s.api.opts.IDs.New("eni-attach")), AttachTime: ptr(now),
		DeleteOnTermination: ptr(true), DeviceIndex: ptr[int32](0), NetworkCardIndex: ptr[int32](0), InstanceId: ptr(id),
		InstanceOwnerId: ptr(s.account), Status: types.AttachmentStatusAttached}
	public := deref(sn.subnet.MapPublicIpOnLaunch)
	if len(in.NetworkInterfaces) > 0 && in.NetworkInterfaces[0].AssociatePublicIpAddress != nil {
		public = *in.NetworkInterfaces[0].AssociatePublicIpAddress
	}
	if public {
		ip := s.nextPublicIP()
		e.Association = &types.NetworkInterfaceAssociation{PublicIp: ptr(ip), PublicDnsName: ptr(publicDNSName(s.region, ip)), IpOwnerId: ptr("amazon")}
		e.PrivateIpAddresses[0].Association = clone.Of(e.Association)
	}
	s.addTags(*e.NetworkInterfaceId, tags[types.ResourceTypeNetworkInterface])
	itype := in.InstanceType
	if itype == "" {
		itype = types.InstanceTypeM1Small
	}
	tenancy := types.TenancyDefault
	if in.Placement != nil && in.Placement.Tenancy != "" {
		tenancy = in.Placement.Tenancy
	}
	r := &instanceRecord{reservation: res, primaryENI: *e.NetworkInterfaceId, changed: now, inst: types.Instance{
		InstanceId: ptr(id), ImageId: ptr(*in.ImageId), InstanceType: itype, KeyName: clone.Of(in.KeyName), LaunchTime: ptr(now),
		AmiLaunchIndex: ptr(index), State: instanceState(types.InstanceStateNamePending), StateTransitionReason: ptr(""),
		Placement:      &types.Placement{AvailabilityZone: ptr(*sn.subnet.AvailabilityZone), Tenancy: tenancy, GroupName: ptr("")},
		PrivateDnsName: ptr(*e.PrivateDnsName), PrivateIpAddress: ptr(*e.PrivateIpAddress), SubnetId: ptr(*sn.subnet.SubnetId),
		VpcId: ptr(*sn.subnet.VpcId), SecurityGroups: clone.Of(e.Groups), Architecture: types.ArchitectureValuesX8664,
		RootDeviceType: types.DeviceTypeEbs, RootDeviceName: ptr("/dev/xvda"), VirtualizationType: types.VirtualizationTypeHvm,
		Hypervisor: types.HypervisorTypeXen, Monitoring: &types.Monitoring{State: types.MonitoringStateDisabled},
		SourceDestCheck: ptr(true), EbsOptimized: ptr(false), EnaSupport: ptr(true), ClientToken: ptr(deref(in.ClientToken)),
		PlatformDetails: ptr("Linux/UNIX"), UsageOperation: ptr("RunInstances"), BlockDeviceMappings: []types.InstanceBlockDeviceMapping{},
		ProductCodes: []types.ProductCode{},
	}}
	if in.IamInstanceProfile != nil {
		arn := deref(in.IamInstanceProfile.Arn)
		if arn == "" {
			arn = fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s", s.account, deref(in.IamInstanceProfile.Name))
		}
		r.inst.IamInstanceProfile = &types.IamInstanceProfile{Arn: ptr(arn), Id: ptr("AIPA" + id[2:])}
	}
	s.instances[id] = r
	s.addTags(id, tags[types.ResourceTypeInstance])
	return r, nil
}

// changeStates applies a state change to each instance asked for.
func (s *Store) changeStates(ids []string, change func(*instanceRecord) error) ([]types.InstanceStateChange, error) {
	if len(ids) == 0 {
		return nil, errMissing("InstanceId")
	}
	var out []types.InstanceStateChange
	err := s.write(func() error {
		recs, err := selectIDs(s, s.instances, "i", ids)
		if err != nil {
			return err
		}
		for _, r := range recs {
			prev := clone.Of(r.inst.State)
			if err := change(r); err != nil {
				return err
			}
			out = append(out, types.InstanceStateChange{InstanceId: ptr(*r.inst.InstanceId), PreviousState: prev, CurrentState: clone.Of(r.inst.State)})
		}
		return nil
	})
	return out, err
}

func errIncorrectState(id, verb string) error {
	return errorf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be %s.", id, verb)
}

// StartInstances starts stopped instances (pending, then running).
func (s *Store) StartInstances(_ context.Context, in *ec2.StartInstancesInput) (*ec2.StartInstancesOutput, error) {
	out, err := s.changeStates(in.InstanceIds, func(r *instanceRecord) error {
		switch r.state() {
		case types.InstanceStateNameStopped:
			s.setState(r, types.InstanceStateNamePending, s.now())
			r.inst.StateReason = nil
		case types.InstanceStateNamePending, types.InstanceStateNameRunning:
		default:
			return errIncorrectState(*r.inst.InstanceId, "started")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.StartInstancesOutput{StartingInstances: out}, nil
}

// StopInstances stops running instances (stopping, then stopped).
func (s *Store) StopInstances(_ context.Context, in *ec2.StopInstancesInput) (*ec2.StopInstancesOutput, error) {
	out, err := s.changeStates(in.InstanceIds, func(r *instanceRecord) error {
		switch r.state() {
		case types.InstanceStateNamePending, types.InstanceStateNameRunning:
			s.setState(r, types.InstanceStateNameStopping, s.now())
			r.inst.StateTransitionReason = ptr(fmt.Sprintf("User initiated (%s GMT)", s.now().UTC().Format("2006-01-02 15:04:05")))
		case types.InstanceStateNameStopping, types.InstanceStateNameStopped:
		default:
			return errIncorrectState(*r.inst.InstanceId, "stopped")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.StopInstancesOutput{StoppingInstances: out}, nil
}

// TerminateInstances terminates instances (shutting-down, then
// terminated); terminated instances stay visible.
func (s *Store) TerminateInstances(_ context.Context, in *ec2.TerminateInstancesInput) (*ec2.TerminateInstancesOutput, error) {
	out, err := s.changeStates(in.InstanceIds, func(r *instanceRecord) error {
		switch r.state() {
		case types.InstanceStateNameShuttingDown, types.InstanceStateNameTerminated:
		default:
			s.setState(r, types.InstanceStateNameShuttingDown, s.now())
			r.inst.StateTransitionReason = ptr(fmt.Sprintf("User initiated (%s GMT)", s.now().UTC().Format("2006-01-02 15:04:05")))
			s.advanceInstance(r, s.now())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.TerminateInstancesOutput{TerminatingInstances: out}, nil
}

// RebootInstances accepts a reboot of instances that are not terminated;
// a record has nothing to reboot.
func (s *Store) RebootInstances(_ context.Context, in *ec2.RebootInstancesInput) (*ec2.RebootInstancesOutput, error) {
	_, err := s.changeStates(in.InstanceIds, func(r *instanceRecord) error {
		if st := r.state(); st == types.InstanceStateNameTerminated || st == types.InstanceStateNameShuttingDown {
			return errIncorrectState(*r.inst.InstanceId, "rebooted")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.RebootInstancesOutput{}, nil
}

func (r *instanceRecord) iface(s *Store) *types.NetworkInterface { return s.enis[r.primaryENI] }

var instanceFilters = filterSet[*instanceRecord]{
	"instance-id":                            func(r *instanceRecord) []string { return strv(r.inst.InstanceId) },
	"instance-state-name":                    func(r *instanceRecord) []string { return one(string(r.state())) },
	"instance-state-code":                    func(r *instanceRecord) []string { return intv(r.inst.State.Code) },
	"instance-type":                          func(r *instanceRecord) []string { return one(string(r.inst.InstanceType)) },
	"image-id":                               func(r *instanceRecord) []string { return strv(r.inst.ImageId) },
	"vpc-id":                                 func(r *instanceRecord) []string { return strv(r.inst.VpcId) },
	"subnet-id":                              func(r *instanceRecord) []string { return strv(r.inst.SubnetId) },
	"private-ip-address":                     func(r *instanceRecord) []string { return strv(r.inst.PrivateIpAddress) },
	"private-dns-name":                       func(r *instanceRecord) []string { return strv(r.inst.PrivateDnsName) },
	"availability-zone":                      func(r *instanceRecord) []string { return strv(r.inst.Placement.AvailabilityZone) },
	"reservation-id":                         func(r *instanceRecord) []string { return one(r.reservation) },
	"key-name":                               func(r *instanceRecord) []string { return strv(r.inst.KeyName) },
	"architecture":                           func(r *instanceRecord) []string { return one(string(r.inst.Architecture)) },
	"launch-index":                           func(r *instanceRecord) []string { return intv(r.inst.AmiLaunchIndex) },
	"tenancy":                                func(r *instanceRecord) []string { return one(string(r.inst.Placement.Tenancy)) },
	"owner-id":                               func(*instanceRecord) []string { return nil },
	"instance.group-id":                      func(r *instanceRecord) []string { return groupIDs(r.inst.SecurityGroups) },
	"instance.group-name":                    func(r *instanceRecord) []string { return groupNames(r.inst.SecurityGroups) },
	"group-id":                               func(r *instanceRecord) []string { return groupIDs(r.inst.SecurityGroups) },
	"group-name":                             func(r *instanceRecord) []string { return groupNames(r.inst.SecurityGroups) },
	"network-interface.network-interface-id": func(r *instanceRecord) []string { return one(r.primaryENI) },
	"iam-instance-profile.arn": func(r *instanceRecord) []string {
		if r.inst.IamInstanceProfile == nil {
			return nil
		}
		return strv(r.inst.IamInstanceProfile.Arn)
	},
}

// instanceFilterSet adds the filters that read the live interface.
func (s *Store) instanceFilterSet() filterSet[*instanceRecord] {
	fs := filterSet[*instanceRecord]{}
	for k, v := range instanceFilters {
		fs[k] = v
	}
	fs["owner-id"] = func(*instanceRecord) []string { return one(s.account) }
	publicIP := func(r *instanceRecord) []string {
		if e := r.iface(s); e != nil && e.Association != nil {
			return strv(e.Association.PublicIp)
		}
		return nil
	}
	fs["ip-address"], fs["network-interface.addresses.association.public-ip"] = publicIP, publicIP
	fs["dns-name"] = func(r *instanceRecord) []string {
		if e := r.iface(s); e != nil && e.Association != nil {
			return strv(e.Association.PublicDnsName)
		}
		return nil
	}
	return fs
}

// DescribeInstances lists instances by ID and filters, grouped by
// reservation.
func (s *Store) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput) (*ec2.DescribeInstancesOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.instances, "i", in.InstanceIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, s.instanceFilterSet(), in.Filters, recs, func(r *instanceRecord) string { return *r.inst.InstanceId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := []types.Reservation{}
	index := map[string]int{}
	for _, r := range recs {
		i, ok := index[r.reservation]
		if !ok {
			out = append(out, types.Reservation{ReservationId: ptr(r.reservation), OwnerId: ptr(s.account), Groups: []types.GroupIdentifier{}})
			i = len(out) - 1
			index[r.reservation] = i
		}
		out[i].Instances = append(out[i].Instances, s.instanceView(r))
	}
	return &ec2.DescribeInstancesOutput{Reservations: out, NextToken: next}, nil
}

// instanceStatus is the status record of an instance: checks pass once it
// runs.
func instanceStatus(r *instanceRecord) types.InstanceStatus {
	summary := func() *types.InstanceStatusSummary {
		if r.state() != types.InstanceStateNameRunning {
			return &types.InstanceStatusSummary{Status: types.SummaryStatusNotApplicable}
		}
		return &types.InstanceStatusSummary{Status: types.SummaryStatusOk,
			Details: []types.InstanceStatusDetails{{Name: types.StatusNameReachability, Status: types.StatusTypePassed}}}
	}
	return types.InstanceStatus{InstanceId: ptr(*r.inst.InstanceId), AvailabilityZone: ptr(*r.inst.Placement.AvailabilityZone),
		InstanceState: clone.Of(r.inst.State), InstanceStatus: summary(), SystemStatus: summary(), Events: []types.InstanceStatusEvent{}}
}

var statusFilters = filterSet[types.InstanceStatus]{
	"availability-zone":      func(st types.InstanceStatus) []string { return strv(st.AvailabilityZone) },
	"instance-state-name":    func(st types.InstanceStatus) []string { return one(string(st.InstanceState.Name)) },
	"instance-state-code":    func(st types.InstanceStatus) []string { return one(strconv.Itoa(int(deref(st.InstanceState.Code)))) },
	"instance-status.status": func(st types.InstanceStatus) []string { return one(string(st.InstanceStatus.Status)) },
	"system-status.status":   func(st types.InstanceStatus) []string { return one(string(st.SystemStatus.Status)) },
}

// DescribeInstanceStatus reports running instances (every instance with
// IncludeAllInstances).
func (s *Store) DescribeInstanceStatus(_ context.Context, in *ec2.DescribeInstanceStatusInput) (*ec2.DescribeInstanceStatusOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.instances, "i", in.InstanceIds)
	if err != nil {
		return nil, err
	}
	var all []types.InstanceStatus
	for _, r := range recs {
		if deref(in.IncludeAllInstances) || r.state() == types.InstanceStateNameRunning {
			all = append(all, instanceStatus(r))
		}
	}
	all, err = filterItems(s, statusFilters, in.Filters, all, func(st types.InstanceStatus) string { return *st.InstanceId })
	if err != nil {
		return nil, err
	}
	all, next, err := page(all, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	if all == nil {
		all = []types.InstanceStatus{}
	}
	return &ec2.DescribeInstanceStatusOutput{InstanceStatuses: all, NextToken: next}, nil
}
