package ecs

import "github.com/aws/aws-sdk-go-v2/service/ecs/types"

// ECS's default service quotas, from the "Amazon ECS service quotas" page
// of the ECS Developer Guide (developerguide/service-quotas.html). They
// bound what a client can make the emulator hold: a desiredCount of a
// billion is refused, as on AWS, instead of filling memory with tasks.
const (
	defaultClustersPerAccount   = 10000 // "Clusters per account"
	defaultServicesPerCluster   = 5000  // "Services per cluster"
	maxTasksPerService          = 5000  // "Tasks per service" (the desired count)
	maxContainersPerTaskDef     = 10    // "Containers per task definition"
	maxCapacityProvidersPerClst = 20    // "Capacity providers per cluster"
)

// Quotas are the adjustable quotas a store enforces; AWS raises them on
// request, the emulator through Options.
type Quotas struct {
	ClustersPerAccount int
	ServicesPerCluster int
}

func (q Quotas) withDefaults() Quotas {
	if q.ClustersPerAccount <= 0 {
		q.ClustersPerAccount = defaultClustersPerAccount
	}
	if q.ServicesPerCluster <= 0 {
		q.ServicesPerCluster = defaultServicesPerCluster
	}
	return q
}

// validDesiredCount applies "Tasks per service". The message is the one
// ECS answers when a desired count is over the quota.
func validDesiredCount(n *int32) error {
	switch {
	case n == nil:
		return nil
	case *n < 0:
		return errInvalidParameter("desiredCount must be greater than or equal to 0.")
	case *n > maxTasksPerService:
		return errInvalidParameter("Desired count exceeds limit.")
	}
	return nil
}

// checkServiceQuota applies "Services per cluster" to a cluster about to
// get one more service. Callers hold the lock.
func (s *Store) checkServiceQuota(cluster *types.Cluster) error {
	n := 0
	for _, svc := range s.services {
		// DRAINING services are on their way out and no longer count.
		if deref(svc.ClusterArn) == deref(cluster.ClusterArn) && deref(svc.Status) == "ACTIVE" {
			n++
		}
	}
	if n >= s.quotas.ServicesPerCluster {
		return errInvalidParameter("The maximum number of services per cluster (%d) has been reached.", s.quotas.ServicesPerCluster)
	}
	return nil
}

// checkClusterQuota applies "Clusters per account" (per Region, as AWS
// counts it). Callers hold the lock.
func (s *Store) checkClusterQuota() error {
	n := 0
	for _, c := range s.clusters {
		if deref(c.Status) == "ACTIVE" {
			n++
		}
	}
	if n >= s.quotas.ClustersPerAccount {
		return errInvalidParameter("The maximum number of clusters per account (%d) has been reached.", s.quotas.ClustersPerAccount)
	}
	return nil
}
