package ecs_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// persisted serves a static ECS API (no reconciler) that keeps its state in
// dir, restored from what an earlier one left there.
type persisted struct {
	db     *state.DB
	api    *ecsapi.API
	client *ecs.Client
	close  func()
}

func openPersisted(t *testing.T, dir string) *persisted {
	t.Helper()
	db, err := state.Open(dir, state.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	api := ecsapi.New(ecsapi.Options{Account: account, Logger: quietLogger(), State: db.Bucket("ecs")})
	if err := api.Restore(); err != nil {
		_ = db.Close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: ecsapi.Spec, JSON: api}}, Region: region, AccountID: account, Version: "test", Logger: quietLogger()}).Handler())
	p := &persisted{db: db, api: api, client: recorded((&emulatortest.Emulator{URL: srv.URL}).ECS())}
	closed := false
	p.close = func() {
		if !closed {
			closed = true
			srv.Close()
			_ = db.Close()
		}
	}
	t.Cleanup(p.close)
	return p
}

// ecsView is what a user sees of the ECS state, read through the SDK.
func ecsView(t *testing.T, c *ecs.Client) map[string]any {
	t.Helper()
	ctx := context.Background()
	view := map[string]any{}
	clusters := must(c.ListClusters(ctx, &ecs.ListClustersInput{}))(t)
	view["clusters"] = must(c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: clusters.ClusterArns,
		Include: []types.ClusterField{types.ClusterFieldTags, types.ClusterFieldSettings, types.ClusterFieldStatistics}}))(t).Clusters
	for _, cl := range clusters.ClusterArns {
		svcs := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(cl)}))(t)
		if len(svcs.ServiceArns) > 0 {
			view["services "+cl] = must(c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cl), Services: svcs.ServiceArns,
				Include: []types.ServiceField{types.ServiceFieldTags}}))(t).Services
			deps := must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String(cl), Service: aws.String(svcs.ServiceArns[0])}))(t)
			view["deployments "+cl] = deps.ServiceDeployments
		}
		for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
			tasks := must(c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(cl), DesiredStatus: status}))(t)
			if len(tasks.TaskArns) > 0 {
				view["tasks "+cl+" "+string(status)] = must(c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cl), Tasks: tasks.TaskArns,
					Include: []types.TaskField{types.TaskFieldTags}}))(t).Tasks
			}
		}
	}
	for _, status := range []types.TaskDefinitionStatus{types.TaskDefinitionStatusActive, types.TaskDefinitionStatusInactive} {
		tds := must(c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{Status: status}))(t)
		view["taskdefs "+string(status)] = tds.TaskDefinitionArns
		for _, arn := range tds.TaskDefinitionArns {
			view["taskdef "+arn] = must(c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn),
				Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}}))(t)
		}
	}
	view["settings"] = must(c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{EffectiveSettings: true}))(t).Settings
	view["providers"] = must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{}))(t).CapacityProviders
	for k, v := range view { // drop the SDK's per-response metadata
		if o, ok := v.(*ecs.DescribeTaskDefinitionOutput); ok {
			view[k] = []any{o.TaskDefinition, o.Tags}
		}
	}
	return view
}

func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := openPersisted(t, dir)
	c := p.client
	createCluster(t, c, "kept")
	createCluster(t, c, "gone")
	must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("gone")}))(t)
	must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arnOf("cluster/kept")), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}))(t)
	must(c.UpdateClusterSettings(ctx, &ecs.UpdateClusterSettingsInput{Cluster: aws.String("kept"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}}}))(t)
	web1 := register(t, c, fargateTD("web"))
	web2 := register(t, c, fargateTD("web"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: web1.TaskDefinitionArn}))(t)
	svc := createService(t, c, fargateService("kept", "api", *web2.TaskDefinitionArn, 2))
	must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("kept"), Service: svc.ServiceName, DesiredCount: aws.Int32(3)}))(t)
	ran := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("kept"), TaskDefinition: web2.TaskDefinitionArn, Count: aws.Int32(2),
		LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), ClientToken: aws.String("tok-1")}))(t)
	must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("kept"), Task: ran.Tasks[0].TaskArn, Reason: aws.String("done")}))(t)
	must(c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: types.SettingNameContainerInsights, Value: aws.String("enabled")}))(t)
	must(c.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("cp1"),
		AutoScalingGroupProvider: &types.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String("arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/asg")}}))(t)
	// Background writes (the reconciler's) go through the same store.
	p.api.Store(region).AddServiceEvent(*svc.ServiceArn, "(service api) was looked at by a test.")
	before := ecsView(t, c)
	p.close()

	p = openPersisted(t, dir)
	after := ecsView(t, p.client)
	if !reflect.DeepEqual(before, after) {
		for k := range before {
			if !reflect.DeepEqual(before[k], after[k]) {
				t.Errorf("%s differs after restart:\nbefore %+v\nafter  %+v", k, before[k], after[k])
			}
		}
		t.Fatalf("state after restart differs (keys before %d, after %d)", len(before), len(after))
	}
	// A RunTask retried with its token still answers with the same tasks.
	again := must(p.client.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("kept"), TaskDefinition: web2.TaskDefinitionArn, Count: aws.Int32(2),
		LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), ClientToken: aws.String("tok-1")}))(t)
	if len(again.Tasks) != 2 || *again.Tasks[0].TaskArn != *ran.Tasks[0].TaskArn && *again.Tasks[0].TaskArn != *ran.Tasks[1].TaskArn {
		t.Fatalf("RunTask replay after restart gave %d tasks, not the first ones", len(again.Tasks))
	}
	// A new revision continues the family's numbering.
	if web3 := register(t, p.client, fargateTD("web")); web3.Revision != 3 {
		t.Fatalf("revision after restart = %d, want 3", web3.Revision)
	}
}

func TestResetEmptiesTheStateDirectory(t *testing.T) {
	dir := t.TempDir()
	p := openPersisted(t, dir)
	createCluster(t, p.client, "c1")
	p.api.Reset()
	p.close()
	p = openPersisted(t, dir)
	out := must(p.client.ListClusters(context.Background(), &ecs.ListClustersInput{}))(t)
	if len(out.ClusterArns) != 0 {
		t.Fatalf("clusters after reset and restart: %v", out.ClusterArns)
	}
}

func TestUnreadableRecordRefusesRestore(t *testing.T) {
	dir := t.TempDir()
	db, err := state.Open(dir, state.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	b := db.Bucket("ecs").Batch()
	b.PutRaw("us-east-1/cluster/broken", []byte(`{"ClusterName": 7}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	api := ecsapi.New(ecsapi.Options{Account: account, Logger: quietLogger(), State: db.Bucket("ecs")})
	err = api.Restore()
	_ = db.Close()
	if err == nil || !strings.Contains(err.Error(), "us-east-1/cluster/broken") {
		t.Fatalf("Restore of a broken record: %v, want an error naming it", err)
	}
	if _, err := os.Stat(filepath.Join(dir, state.FileName)); err != nil {
		t.Fatal(err)
	}
}
