package ecs

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

const defaultCluster = "default"

// clusterName resolves a cluster reference (name, ARN or nil) to a name.
func clusterName(ref *string) string {
	if ref == nil || *ref == "" {
		return defaultCluster
	}
	return nameFromRef(*ref, "cluster")
}

// ownsARN says whether ref, if it is an ARN, names this store's region
// and account: another region's ARN never resolves to a local resource.
func (s *Store) ownsARN(ref string) bool {
	parts := strings.SplitN(ref, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return true // a plain name
	}
	return parts[3] == s.region && parts[4] == s.account
}

// activeCluster returns the ACTIVE cluster ref names, or ClusterNotFound.
// Callers hold the lock.
func (s *Store) activeCluster(ref *string) (*types.Cluster, error) {
	if !s.ownsARN(deref(ref)) {
		return nil, errClusterNotFound()
	}
	c, ok := s.clusters[clusterName(ref)]
	if !ok || deref(c.Status) != "ACTIVE" {
		return nil, errClusterNotFound()
	}
	return c, nil
}

func (s *Store) CreateCluster(_ context.Context, in *ecs.CreateClusterInput) (*ecs.CreateClusterOutput, error) {
	name := deref(in.ClusterName)
	if name == "" {
		name = defaultCluster
	}
	if err := validName(name, "Cluster name"); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	if err := s.validCapacityProviders(in.CapacityProviders, in.DefaultCapacityProviderStrategy); err != nil {
		return nil, err
	}
	if c, ok := s.clusters[name]; ok && deref(c.Status) == "ACTIVE" {
		// CreateCluster is idempotent on the name: the existing cluster.
		return &ecs.CreateClusterOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
	}
	if err := s.checkClusterQuota(); err != nil {
		return nil, err
	}
	c := &types.Cluster{
		ClusterArn:                      ptr(clusterARN(s.region, s.account, name)),
		ClusterName:                     ptr(name),
		Status:                          ptr("ACTIVE"),
		CapacityProviders:               nonNil(in.CapacityProviders),
		DefaultCapacityProviderStrategy: nonNil(in.DefaultCapacityProviderStrategy),
		Settings:                        clusterSettings(in.Settings),
		Configuration:                   in.Configuration,
		ServiceConnectDefaults:          serviceConnectDefaults(in.ServiceConnectDefaults),
		Statistics:                      []types.KeyValuePair{},
		Attachments:                     []types.Attachment{},
	}
	s.clusters[name] = c
	s.setTags(*c.ClusterArn, in.Tags)
	s.changed(ChangeCluster, *c.ClusterArn)
	return &ecs.CreateClusterOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
}

func serviceConnectDefaults(in *types.ClusterServiceConnectDefaultsRequest) *types.ClusterServiceConnectDefaults {
	if in == nil {
		return nil
	}
	return &types.ClusterServiceConnectDefaults{Namespace: in.Namespace}
}

// clusterSettings returns the settings with containerInsights defaulted to
// "disabled", as AWS reports them.
func clusterSettings(in []types.ClusterSetting) []types.ClusterSetting {
	for _, st := range in {
		if st.Name == types.ClusterSettingNameContainerInsights {
			return clone.Of(in)
		}
	}
	return append(clone.Of(in), types.ClusterSetting{Name: types.ClusterSettingNameContainerInsights, Value: ptr("disabled")})
}

var allClusterFields = []types.ClusterField{types.ClusterFieldSettings, types.ClusterFieldTags, types.ClusterFieldConfigurations}

// clusterView is the wire view of a cluster with live counters and the
// optional members gated by include. Callers hold the lock.
func (s *Store) clusterView(c *types.Cluster, include []types.ClusterField) *types.Cluster {
	v := clone.Of(*c)
	v.RunningTasksCount, v.PendingTasksCount = 0, 0
	for _, t := range s.tasks {
		if deref(t.ClusterArn) != deref(c.ClusterArn) {
			continue
		}
		switch deref(t.LastStatus) {
		case "RUNNING":
			v.RunningTasksCount++
		case "PROVISIONING", "PENDING", "ACTIVATING":
			v.PendingTasksCount++
		}
	}
	v.ActiveServicesCount = 0
	for _, svc := range s.services {
		if deref(svc.ClusterArn) == deref(c.ClusterArn) && deref(svc.Status) == "ACTIVE" {
			v.ActiveServicesCount++
		}
	}
	has := func(f types.ClusterField) bool {
		for _, x := range include {
			if x == f {
				return true
			}
		}
		return false
	}
	if !has(types.ClusterFieldSettings) {
		v.Settings = nil
	}
	if !has(types.ClusterFieldConfigurations) {
		v.Configuration = nil
	}
	v.Statistics = []types.KeyValuePair{}
	if has(types.ClusterFieldStatistics) {
		v.Statistics = s.clusterStatistics(&v)
	}
	if has(types.ClusterFieldTags) {
		v.Tags = s.getTags(deref(c.ClusterArn))
	}
	if !has(types.ClusterFieldAttachments) {
		v.Attachments = nil
	}
	return &v
}

func (s *Store) clusterStatistics(v *types.Cluster) []types.KeyValuePair {
	kv := func(k string, n int32) types.KeyValuePair {
		return types.KeyValuePair{Name: ptr(k), Value: ptr(strconv.Itoa(int(n)))}
	}
	return []types.KeyValuePair{
		kv("runningFargateTasksCount", v.RunningTasksCount),
		kv("pendingFargateTasksCount", v.PendingTasksCount),
		kv("activeFargateServiceCount", v.ActiveServicesCount),
		kv("runningEC2TasksCount", 0),
		kv("pendingEC2TasksCount", 0),
		kv("activeEC2ServiceCount", 0),
		kv("drainingFargateServiceCount", 0),
		kv("drainingEC2ServiceCount", 0),
	}
}

func (s *Store) DescribeClusters(_ context.Context, in *ecs.DescribeClustersInput) (*ecs.DescribeClustersOutput, error) {
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{defaultCluster}
	}
	if len(refs) > 100 {
		return nil, errInvalidParameter("clusters can have at most 100 items.")
	}
	unlock := s.lock()
	defer unlock()
	out := &ecs.DescribeClustersOutput{Clusters: []types.Cluster{}, Failures: []types.Failure{}}
	for _, ref := range refs {
		name := clusterName(&ref)
		c, ok := s.clusters[name]
		if !ok || !s.ownsARN(ref) {
			arn := clusterARN(s.region, s.account, name)
			if strings.HasPrefix(ref, "arn:") {
				arn = ref // report the ARN as asked, whatever its region
			}
			out.Failures = append(out.Failures, missing(arn))
			continue
		}
		out.Clusters = append(out.Clusters, *s.clusterView(c, in.Include))
	}
	return out, nil
}

// missing is the failures[] entry for an unknown resource (spec §3.2.8).
func missing(arn string) types.Failure {
	return types.Failure{Arn: ptr(arn), Reason: ptr("MISSING")}
}

func (s *Store) ListClusters(_ context.Context, in *ecs.ListClustersInput) (*ecs.ListClustersOutput, error) {
	unlock := s.lock()
	var arns []string
	for _, c := range s.clusters {
		if deref(c.Status) == "ACTIVE" {
			arns = append(arns, *c.ClusterArn)
		}
	}
	unlock()
	sort.Strings(arns)
	pg, next, err := page(arns, in.NextToken, in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListClustersOutput{ClusterArns: nonNil(pg), NextToken: next}, nil
}

func (s *Store) DeleteCluster(_ context.Context, in *ecs.DeleteClusterInput) (*ecs.DeleteClusterOutput, error) {
	unlock := s.lock()
	defer unlock()
	c, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	for _, svc := range s.services {
		if deref(svc.ClusterArn) == *c.ClusterArn && deref(svc.Status) != "INACTIVE" {
			return nil, &types.ClusterContainsServicesException{Message: ptr("The Cluster cannot be deleted while Services are active.")}
		}
	}
	for _, t := range s.tasks {
		if deref(t.ClusterArn) == *c.ClusterArn && deref(t.LastStatus) != "STOPPED" {
			return nil, &types.ClusterContainsTasksException{Message: ptr("The Cluster cannot be deleted while Tasks are active.")}
		}
	}
	c.Status = ptr("INACTIVE")
	s.changed(ChangeCluster, *c.ClusterArn)
	return &ecs.DeleteClusterOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
}

func (s *Store) UpdateCluster(_ context.Context, in *ecs.UpdateClusterInput) (*ecs.UpdateClusterOutput, error) {
	unlock := s.lock()
	defer unlock()
	c, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if in.Settings != nil {
		c.Settings = mergeClusterSettings(c.Settings, in.Settings)
	}
	if in.Configuration != nil {
		c.Configuration = clone.Of(in.Configuration)
	}
	if in.ServiceConnectDefaults != nil {
		c.ServiceConnectDefaults = serviceConnectDefaults(in.ServiceConnectDefaults)
	}
	s.changed(ChangeCluster, *c.ClusterArn)
	return &ecs.UpdateClusterOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
}

func (s *Store) UpdateClusterSettings(_ context.Context, in *ecs.UpdateClusterSettingsInput) (*ecs.UpdateClusterSettingsOutput, error) {
	if len(in.Settings) == 0 {
		return nil, errInvalidParameter("settings can not be empty.")
	}
	unlock := s.lock()
	defer unlock()
	c, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	c.Settings = mergeClusterSettings(c.Settings, in.Settings)
	s.changed(ChangeCluster, *c.ClusterArn)
	return &ecs.UpdateClusterSettingsOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
}

func mergeClusterSettings(have, set []types.ClusterSetting) []types.ClusterSetting {
	out := clone.Of(have)
	for _, st := range set {
		replaced := false
		for i := range out {
			if out[i].Name == st.Name {
				out[i].Value, replaced = clone.Of(st.Value), true
			}
		}
		if !replaced {
			out = append(out, clone.Of(st))
		}
	}
	return out
}

func (s *Store) PutClusterCapacityProviders(_ context.Context, in *ecs.PutClusterCapacityProvidersInput) (*ecs.PutClusterCapacityProvidersOutput, error) {
	unlock := s.lock()
	defer unlock()
	if err := s.validCapacityProviders(in.CapacityProviders, in.DefaultCapacityProviderStrategy); err != nil {
		return nil, err
	}
	c, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	c.CapacityProviders = nonNil(clone.Of(in.CapacityProviders))
	c.DefaultCapacityProviderStrategy = nonNil(clone.Of(in.DefaultCapacityProviderStrategy))
	s.changed(ChangeCluster, *c.ClusterArn)
	return &ecs.PutClusterCapacityProvidersOutput{Cluster: s.clusterView(c, allClusterFields)}, nil
}

// nonNil turns a nil slice into an empty one, so it encodes as [].
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
