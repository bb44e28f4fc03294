package reconcile

import (
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// NetworkInterfaces is the EC2 side of an awsvpc task: the network
// interface ECS attaches to it, created with the task's real address once
// its network namespace exists and deleted when the task has stopped.
type NetworkInterfaces interface {
	AttachTaskInterface(region, subnetID string, groups []string, ip, mac, description string) (eniID string, err error)
	DetachTaskInterface(region, eniID string) error
}

// attachInterface creates the task's interface in EC2 and returns its ID;
// without EC2, or if EC2 refuses, the task still runs and shows an ID
// derived from its own.
func (r *Reconciler) attachInterface(t *ecsapi.Task, sb runtime.Sandbox) string {
	fallback := "eni-" + ecsapi.TaskID(*t.TaskArn)[:17]
	att := eniAttachment(t)
	if r.opts.Interfaces == nil || att == nil {
		return fallback
	}
	subnet, groups := taskSubnet(t)
	description := "arn:aws:ecs:" + regionOf(*t.TaskArn) + ":" + accountOf(*t.TaskArn) + ":attachment/" + deref(att.Id)
	eni, err := r.opts.Interfaces.AttachTaskInterface(regionOf(*t.TaskArn), subnet, groups, sb.IP, sb.MACAddress, description)
	if err != nil {
		r.log.Warn("creating the task's network interface failed", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
		return fallback
	}
	return eni
}

// detachInterface deletes the task's interface from EC2, if it has one.
func (r *Reconciler) detachInterface(t *ecsapi.Task) {
	att := eniAttachment(t)
	if r.opts.Interfaces == nil || att == nil {
		return
	}
	for _, d := range att.Details {
		if deref(d.Name) == "networkInterfaceId" && deref(d.Value) != "" {
			if err := r.opts.Interfaces.DetachTaskInterface(regionOf(*t.TaskArn), deref(d.Value)); err != nil {
				r.log.Debug("deleting the task's network interface failed", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
			}
		}
	}
}

// eniAttachment is the task's ElasticNetworkInterface attachment, if any.
func eniAttachment(t *ecsapi.Task) *types.Attachment {
	for i := range t.Attachments {
		if deref(t.Attachments[i].Type) == "ElasticNetworkInterface" {
			return &t.Attachments[i]
		}
	}
	return nil
}

// taskSubnet is the subnet and the security groups of an awsvpc task.
func taskSubnet(t *ecsapi.Task) (string, []string) {
	for _, d := range eniAttachment(t).Details {
		if deref(d.Name) == "subnetId" {
			return deref(d.Value), t.SecurityGroups
		}
	}
	return "", t.SecurityGroups
}
