package ecs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestCreateCluster(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()

	t.Run("no name creates default", func(t *testing.T) {
		out := must(c.CreateCluster(ctx, &ecs.CreateClusterInput{}))(t)
		cl := out.Cluster
		if aws.ToString(cl.ClusterName) != "default" || aws.ToString(cl.ClusterArn) != arnOf("cluster/default") {
			t.Errorf("cluster = %s %s, want default %s", aws.ToString(cl.ClusterName), aws.ToString(cl.ClusterArn), arnOf("cluster/default"))
		}
		if aws.ToString(cl.Status) != "ACTIVE" {
			t.Errorf("status = %s, want ACTIVE", aws.ToString(cl.Status))
		}
		if cl.RunningTasksCount != 0 || cl.PendingTasksCount != 0 || cl.ActiveServicesCount != 0 || cl.RegisteredContainerInstancesCount != 0 {
			t.Errorf("counters = %d/%d/%d/%d, want all 0", cl.RunningTasksCount, cl.PendingTasksCount, cl.ActiveServicesCount, cl.RegisteredContainerInstancesCount)
		}
		settings := map[types.ClusterSettingName]string{}
		for _, s := range cl.Settings {
			settings[s.Name] = aws.ToString(s.Value)
		}
		if settings[types.ClusterSettingNameContainerInsights] != "disabled" {
			t.Errorf("settings = %v, want containerInsights disabled", settings)
		}
	})

	t.Run("idempotent on the name", func(t *testing.T) {
		first := must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("idem")}))(t)
		second := must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("idem")}))(t)
		if aws.ToString(first.Cluster.ClusterArn) != aws.ToString(second.Cluster.ClusterArn) {
			t.Errorf("ARNs differ: %s vs %s", aws.ToString(first.Cluster.ClusterArn), aws.ToString(second.Cluster.ClusterArn))
		}
		list := must(c.ListClusters(ctx, &ecs.ListClustersInput{}))(t)
		n := 0
		for _, arn := range list.ClusterArns {
			if arn == arnOf("cluster/idem") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("ListClusters lists idem %d times, want 1", n)
		}
	})

	t.Run("tags", func(t *testing.T) {
		out := must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("tagged"), Tags: []types.Tag{tag("team", "a"), tag("env", "dev")}}))(t)
		if got := tagsOf(out.Cluster.Tags); got["team"] != "a" || got["env"] != "dev" || len(got) != 2 {
			t.Errorf("response tags = %v", got)
		}
		lt := must(c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: out.Cluster.ClusterArn}))(t)
		if got := tagsOf(lt.Tags); len(got) != 2 || got["team"] != "a" {
			t.Errorf("ListTagsForResource = %v", got)
		}
	})

	invalid := []struct {
		name  string
		in    *ecs.CreateClusterInput
		check errCheck
	}{
		{"bad name", &ecs.CreateClusterInput{ClusterName: aws.String("bad name!")}, errOf[*types.InvalidParameterException]("")},
		{"name too long", &ecs.CreateClusterInput{ClusterName: aws.String(strings.Repeat("a", 256))}, errOf[*types.InvalidParameterException]("")},
		{"aws: tag", &ecs.CreateClusterInput{ClusterName: aws.String("t1"), Tags: []types.Tag{tag("aws:x", "1")}}, errLike[*types.InvalidParameterException]("aws:")},
		{"unknown capacity provider", &ecs.CreateClusterInput{ClusterName: aws.String("t2"), CapacityProviders: []string{"MY_CP"}}, errOf[*types.InvalidParameterException]("")},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateCluster(ctx, tc.in)
			tc.check(t, err)
		})
	}
}

func TestDescribeClusters(t *testing.T) {
	t.Parallel()
	c := startStatic(t)
	ctx := t.Context()
	must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("dev"), Tags: []types.Tag{tag("k", "v")}}))(t)
	td := register(t, c, fargateTD("web"))
	createService(t, c, fargateService("dev", "svc", *td.TaskDefinitionArn, 0))
	runFargate(t, c, "dev", *td.TaskDefinitionArn, 2) // stay PROVISIONING: no reconciler

	t.Run("counters", func(t *testing.T) {
		out := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"dev"}}))(t)
		cl := out.Clusters[0]
		if cl.ActiveServicesCount != 1 || cl.PendingTasksCount != 2 || cl.RunningTasksCount != 0 {
			t.Errorf("active services %d, pending %d, running %d; want 1, 2, 0", cl.ActiveServicesCount, cl.PendingTasksCount, cl.RunningTasksCount)
		}
	})

	tests := []struct {
		name                          string
		include                       []types.ClusterField
		wantStats, wantTags, wantSett bool
	}{
		{"nothing", nil, false, false, false},
		{"STATISTICS", []types.ClusterField{types.ClusterFieldStatistics}, true, false, false},
		{"TAGS", []types.ClusterField{types.ClusterFieldTags}, false, true, false},
		{"SETTINGS", []types.ClusterField{types.ClusterFieldSettings}, false, false, true},
		{"all three", []types.ClusterField{types.ClusterFieldStatistics, types.ClusterFieldTags, types.ClusterFieldSettings}, true, true, true},
	}
	for _, tc := range tests {
		t.Run("include "+tc.name, func(t *testing.T) {
			out := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{arnOf("cluster/dev")}, Include: tc.include}))(t)
			if len(out.Clusters) != 1 || len(out.Failures) != 0 {
				t.Fatalf("clusters %d, failures %v", len(out.Clusters), out.Failures)
			}
			cl := out.Clusters[0]
			stats := map[string]string{}
			for _, kv := range cl.Statistics {
				stats[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
			}
			if tc.wantStats != (len(stats) > 0) {
				t.Errorf("statistics = %v, want present=%v", stats, tc.wantStats)
			}
			if tc.wantStats && (stats["pendingFargateTasksCount"] != "2" || stats["activeFargateServiceCount"] != "1") {
				t.Errorf("statistics = %v, want 2 pending Fargate tasks and 1 Fargate service", stats)
			}
			if tc.wantTags != (tagsOf(cl.Tags)["k"] == "v") {
				t.Errorf("tags = %v, want present=%v", cl.Tags, tc.wantTags)
			}
			if tc.wantSett != (len(cl.Settings) > 0) {
				t.Errorf("settings = %v, want present=%v", cl.Settings, tc.wantSett)
			}
		})
	}

	t.Run("missing clusters are failures", func(t *testing.T) {
		out := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"dev", "nope", arnOf("cluster/gone")}}))(t)
		if len(out.Clusters) != 1 || aws.ToString(out.Clusters[0].ClusterName) != "dev" {
			t.Errorf("clusters = %v, want only dev", out.Clusters)
		}
		equalStrings(t, "failures", failureReasons(out.Failures), []string{arnOf("cluster/gone") + " MISSING", arnOf("cluster/nope") + " MISSING"})
	})

	t.Run("no input describes default", func(t *testing.T) {
		out := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{}))(t)
		equalStrings(t, "failures", failureReasons(out.Failures), []string{arnOf("cluster/default") + " MISSING"})
		must(c.CreateCluster(ctx, &ecs.CreateClusterInput{}))(t)
		out = must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{}))(t)
		if len(out.Clusters) != 1 || aws.ToString(out.Clusters[0].ClusterArn) != arnOf("cluster/default") {
			t.Errorf("clusters = %v, want default", out.Clusters)
		}
	})

	t.Run("more than 100", func(t *testing.T) {
		names := make([]string, 101)
		for i := range names {
			names[i] = fmt.Sprintf("c%d", i)
		}
		_, err := c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: names})
		requireErr[*types.InvalidParameterException](t, err, "")
	})
}

func TestListClusters(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	var want []string
	for i := range 7 {
		want = append(want, *createCluster(t, c, fmt.Sprintf("c%02d", i)).ClusterArn)
	}
	createCluster(t, c, "deleted")
	must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("deleted")}))(t)

	t.Run("one page", func(t *testing.T) {
		out := must(c.ListClusters(ctx, &ecs.ListClustersInput{}))(t)
		equalStrings(t, "clusterArns", out.ClusterArns, want)
		if out.NextToken != nil {
			t.Errorf("nextToken = %q, want none", *out.NextToken)
		}
	})

	t.Run("paginator", func(t *testing.T) {
		p := ecs.NewListClustersPaginator(c, &ecs.ListClustersInput{MaxResults: aws.Int32(3)})
		var got []string
		pages := 0
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			if len(out.ClusterArns) > 3 {
				t.Errorf("page of %d, want at most 3", len(out.ClusterArns))
			}
			got = append(got, out.ClusterArns...)
			pages++
		}
		equalStrings(t, "paged clusterArns", got, want)
		if pages != 3 {
			t.Errorf("pages = %d, want 3", pages)
		}
	})

	for _, tc := range []struct {
		name string
		in   *ecs.ListClustersInput
	}{
		{"maxResults 0", &ecs.ListClustersInput{MaxResults: aws.Int32(0)}},
		{"maxResults 101", &ecs.ListClustersInput{MaxResults: aws.Int32(101)}},
		{"garbage nextToken", &ecs.ListClustersInput{NextToken: aws.String("garbage")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ListClusters(ctx, tc.in)
			requireErr[*types.InvalidParameterException](t, err, "")
		})
	}
}

func TestDeleteCluster(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()

	t.Run("becomes INACTIVE and stays describable", func(t *testing.T) {
		createCluster(t, c, "gone")
		out := must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("gone")}))(t)
		if aws.ToString(out.Cluster.Status) != "INACTIVE" {
			t.Errorf("status = %s, want INACTIVE", aws.ToString(out.Cluster.Status))
		}
		desc := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"gone"}}))(t)
		if len(desc.Clusters) != 1 || aws.ToString(desc.Clusters[0].Status) != "INACTIVE" {
			t.Errorf("DescribeClusters = %v, failures %v; want the INACTIVE cluster", desc.Clusters, desc.Failures)
		}
		_, err := c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("gone")})
		requireErr[*types.ClusterNotFoundException](t, err, "Cluster not found.")
		_, err = c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("gone")})
		requireErr[*types.ClusterNotFoundException](t, err, "Cluster not found.")
	})

	t.Run("unknown", func(t *testing.T) {
		_, err := c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("never")})
		requireErr[*types.ClusterNotFoundException](t, err, "Cluster not found.")
	})

	t.Run("refused while it has services", func(t *testing.T) {
		createCluster(t, c, "busy")
		td := register(t, c, fargateTD("busy"))
		createService(t, c, fargateService("busy", "svc", *td.TaskDefinitionArn, 0))
		_, err := c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("busy")})
		requireErr[*types.ClusterContainsServicesException](t, err, "The Cluster cannot be deleted while Services are active.")

		// A DRAINING service still blocks; once INACTIVE it no longer does.
		must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("busy"), Service: aws.String("svc")}))(t)
		eventually(t, "the service is INACTIVE", func() bool {
			out := must(c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("busy"), Services: []string{"svc"}}))(t)
			return len(out.Services) == 1 && aws.ToString(out.Services[0].Status) == "INACTIVE"
		})
		must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("busy")}))(t)
	})

	t.Run("refused while tasks are active", func(t *testing.T) {
		static := startStatic(t) // the task must stay PROVISIONING
		createCluster(t, static, "tasks")
		td := register(t, static, fargateTD("tasks"))
		runFargate(t, static, "tasks", *td.TaskDefinitionArn, 1)
		_, err := static.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("tasks")})
		requireErr[*types.ClusterContainsTasksException](t, err, "The Cluster cannot be deleted while Tasks are active.")
	})

	t.Run("name can be reused", func(t *testing.T) {
		createCluster(t, c, "again")
		must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(arnOf("cluster/again"))}))(t)
		cl := createCluster(t, c, "again")
		if aws.ToString(cl.Status) != "ACTIVE" {
			t.Errorf("status = %s, want ACTIVE", aws.ToString(cl.Status))
		}
	})
}

func TestUpdateCluster(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")

	t.Run("settings and configuration", func(t *testing.T) {
		out := must(c.UpdateCluster(ctx, &ecs.UpdateClusterInput{
			Cluster:  aws.String("dev"),
			Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
			Configuration: &types.ClusterConfiguration{ExecuteCommandConfiguration: &types.ExecuteCommandConfiguration{
				Logging: types.ExecuteCommandLoggingDefault,
			}},
		}))(t)
		if len(out.Cluster.Settings) != 1 || aws.ToString(out.Cluster.Settings[0].Value) != "enabled" {
			t.Errorf("settings = %v, want containerInsights enabled only once", out.Cluster.Settings)
		}
		if out.Cluster.Configuration == nil || out.Cluster.Configuration.ExecuteCommandConfiguration.Logging != types.ExecuteCommandLoggingDefault {
			t.Errorf("configuration = %+v", out.Cluster.Configuration)
		}
	})

	t.Run("UpdateClusterSettings", func(t *testing.T) {
		out := must(c.UpdateClusterSettings(ctx, &ecs.UpdateClusterSettingsInput{
			Cluster:  aws.String("dev"),
			Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enhanced")}},
		}))(t)
		if len(out.Cluster.Settings) != 1 || aws.ToString(out.Cluster.Settings[0].Value) != "enhanced" {
			t.Errorf("settings = %v", out.Cluster.Settings)
		}
		desc := must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"dev"}, Include: []types.ClusterField{types.ClusterFieldSettings}}))(t)
		if aws.ToString(desc.Clusters[0].Settings[0].Value) != "enhanced" {
			t.Errorf("described settings = %v", desc.Clusters[0].Settings)
		}
	})

	t.Run("PutClusterCapacityProviders", func(t *testing.T) {
		out := must(c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{
			Cluster:           aws.String("dev"),
			CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
			DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{
				{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1, Base: 1},
			},
		}))(t)
		equalStrings(t, "capacityProviders", out.Cluster.CapacityProviders, []string{"FARGATE", "FARGATE_SPOT"})
		if len(out.Cluster.DefaultCapacityProviderStrategy) != 1 {
			t.Fatalf("strategy = %v", out.Cluster.DefaultCapacityProviderStrategy)
		}
		// Tasks without a launch type now use the cluster's strategy.
		td := register(t, c, fargateTD("cp"))
		run := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn, NetworkConfiguration: awsvpc()}))(t)
		if got := aws.ToString(run.Tasks[0].CapacityProviderName); got != "FARGATE_SPOT" {
			t.Errorf("capacityProviderName = %q, want FARGATE_SPOT", got)
		}
	})

	errs := []struct {
		name  string
		call  func() error
		check errCheck
	}{
		{"UpdateCluster unknown cluster", func() error {
			_, err := c.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String("nope")})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"UpdateClusterSettings unknown cluster", func() error {
			_, err := c.UpdateClusterSettings(ctx, &ecs.UpdateClusterSettingsInput{Cluster: aws.String("nope"),
				Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}}})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"UpdateClusterSettings empty", func() error {
			_, err := c.UpdateClusterSettings(ctx, &ecs.UpdateClusterSettingsInput{Cluster: aws.String("dev"), Settings: []types.ClusterSetting{}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
		{"PutClusterCapacityProviders unknown cluster", func() error {
			_, err := c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("nope"),
				CapacityProviders: []string{}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"PutClusterCapacityProviders unknown provider", func() error {
			_, err := c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("dev"),
				CapacityProviders: []string{"MINE"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
		{"PutClusterCapacityProviders two bases", func() error {
			_, err := c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("dev"),
				CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
				DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{
					{CapacityProvider: aws.String("FARGATE"), Base: 1}, {CapacityProvider: aws.String("FARGATE_SPOT"), Base: 1},
				}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
		{"PutClusterCapacityProviders weight too high", func() error {
			_, err := c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("dev"),
				CapacityProviders:               []string{"FARGATE"},
				DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1001}}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
}
