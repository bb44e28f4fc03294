package ecs_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestRegisterTaskDefinitionDefaults(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()

	t.Run("fargate", func(t *testing.T) {
		in := fargateTD("web")
		in.ContainerDefinitions[0].HealthCheck = &types.HealthCheck{Command: []string{"CMD-SHELL", "true"}}
		in.Tags = []types.Tag{tag("app", "web")}
		out := must(c.RegisterTaskDefinition(ctx, in))(t)
		td := out.TaskDefinition
		if got, want := aws.ToString(td.TaskDefinitionArn), arnOf("task-definition/web:1"); got != want {
			t.Errorf("arn = %s, want %s", got, want)
		}
		if td.Revision != 1 || td.Status != types.TaskDefinitionStatusActive || td.RegisteredAt == nil || td.RegisteredBy == nil {
			t.Errorf("revision %d, status %s, registeredAt %v, registeredBy %v", td.Revision, td.Status, td.RegisteredAt, td.RegisteredBy)
		}
		if !slices.Contains(td.Compatibilities, types.CompatibilityFargate) || !slices.Contains(td.Compatibilities, types.CompatibilityEc2) {
			t.Errorf("compatibilities = %v, want EC2 and FARGATE", td.Compatibilities)
		}
		if !slices.Equal(td.RequiresCompatibilities, []types.Compatibility{types.CompatibilityFargate}) {
			t.Errorf("requiresCompatibilities = %v", td.RequiresCompatibilities)
		}
		cd := td.ContainerDefinitions[0]
		if cd.Essential == nil || !*cd.Essential {
			t.Errorf("essential = %v, want true", cd.Essential)
		}
		if cd.Environment == nil || cd.MountPoints == nil || cd.VolumesFrom == nil || cd.PortMappings == nil {
			t.Errorf("environment %v, mountPoints %v, volumesFrom %v, portMappings %v: want empty lists, not absent",
				cd.Environment, cd.MountPoints, cd.VolumesFrom, cd.PortMappings)
		}
		pm := cd.PortMappings[0]
		if aws.ToInt32(pm.HostPort) != 80 || pm.Protocol != types.TransportProtocolTcp {
			t.Errorf("port mapping = host %v protocol %q, want host 80 (= containerPort with awsvpc) and tcp", pm.HostPort, pm.Protocol)
		}
		hc := cd.HealthCheck
		if aws.ToInt32(hc.Interval) != 30 || aws.ToInt32(hc.Timeout) != 5 || aws.ToInt32(hc.Retries) != 3 || hc.StartPeriod == nil || *hc.StartPeriod != 0 {
			t.Errorf("health check defaults = interval %v timeout %v retries %v startPeriod %v, want 30/5/3/0", hc.Interval, hc.Timeout, hc.Retries, hc.StartPeriod)
		}
		if got := tagsOf(out.Tags); got["app"] != "web" {
			t.Errorf("tags = %v", got)
		}
	})

	t.Run("bridge by default", func(t *testing.T) {
		in := ec2TD("plain")
		in.ContainerDefinitions[0].Essential = aws.Bool(true)
		in.ContainerDefinitions = append(in.ContainerDefinitions, types.ContainerDefinition{
			Name: aws.String("sidecar"), Image: aws.String("busybox"), MemoryReservation: aws.Int32(32), Essential: aws.Bool(false),
		})
		td := register(t, c, in)
		if td.NetworkMode != types.NetworkModeBridge {
			t.Errorf("networkMode = %q, want bridge", td.NetworkMode)
		}
		if slices.Contains(td.Compatibilities, types.CompatibilityFargate) {
			t.Errorf("compatibilities = %v, want no FARGATE for a bridge task definition", td.Compatibilities)
		}
		if td.ContainerDefinitions[0].PortMappings[0].HostPort != nil {
			t.Errorf("hostPort = %v, want none in bridge mode (dynamic)", *td.ContainerDefinitions[0].PortMappings[0].HostPort)
		}
		if aws.ToBool(td.ContainerDefinitions[1].Essential) {
			t.Error("sidecar essential = true, want the given false")
		}
	})

	t.Run("revisions increase and are never reused", func(t *testing.T) {
		var arns []string
		for range 3 {
			arns = append(arns, aws.ToString(register(t, c, fargateTD("rev")).TaskDefinitionArn))
		}
		equalStrings(t, "arns", arns, []string{arnOf("task-definition/rev:1"), arnOf("task-definition/rev:2"), arnOf("task-definition/rev:3")})
		must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("rev:3")}))(t)
		must(c.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"rev:3"}}))(t)
		if td := register(t, c, fargateTD("rev")); td.Revision != 4 {
			t.Errorf("revision after deleting 3 = %d, want 4", td.Revision)
		}
	})
}

func TestRegisterTaskDefinitionValidation(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()

	with := func(base *ecs.RegisterTaskDefinitionInput, edit func(*ecs.RegisterTaskDefinitionInput)) *ecs.RegisterTaskDefinitionInput {
		edit(base)
		return base
	}
	container := func(edit func(*types.ContainerDefinition)) func(*ecs.RegisterTaskDefinitionInput) {
		return func(in *ecs.RegisterTaskDefinitionInput) { edit(&in.ContainerDefinitions[0]) }
	}
	size := func(cpu, memory string) func(*ecs.RegisterTaskDefinitionInput) {
		return func(in *ecs.RegisterTaskDefinitionInput) { in.Cpu, in.Memory = aws.String(cpu), aws.String(memory) }
	}
	health := func(hc types.HealthCheck) func(*ecs.RegisterTaskDefinitionInput) {
		return container(func(cd *types.ContainerDefinition) {
			if hc.Command == nil {
				hc.Command = []string{"CMD", "true"}
			}
			cd.HealthCheck = &hc
		})
	}
	noFargateSize := errLike[*types.ClientException]("No Fargate configuration exists for given values")

	tests := []struct {
		name  string
		in    *ecs.RegisterTaskDefinitionInput
		check errCheck // nil: accepted
	}{
		{"empty family", with(fargateTD(""), func(*ecs.RegisterTaskDefinitionInput) {}), errOf[*types.ClientException]("Family should not be null or empty.")},
		{"bad family", fargateTD("my family"), errOf[*types.InvalidParameterException]("")},
		{"no containers", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) { in.ContainerDefinitions = []types.ContainerDefinition{} }), errOf[*types.ClientException]("")},
		{"container without name", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.Name = nil })), errOf[*types.ClientException]("Container.name should not be null or empty.")},
		{"container without image", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.Image = nil })), errOf[*types.ClientException]("Container.image should not be null or empty.")},
		{"duplicate container names", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions = append(in.ContainerDefinitions, in.ContainerDefinitions[0])
		}), errOf[*types.ClientException]("")},
		{"no essential container", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.Essential = aws.Bool(false) })), errOf[*types.ClientException]("")},
		{"unknown network mode", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) { in.NetworkMode = "overlay" }), errOf[*types.InvalidParameterException]("")},

		// Fargate sizes (spec §4.1).
		{"fargate 256/512", with(fargateTD("f"), size("256", "512")), nil},
		{"fargate 256/2048", with(fargateTD("f"), size("256", "2048")), nil},
		{"fargate 256/4096", with(fargateTD("f"), size("256", "4096")), noFargateSize},
		{"fargate 512/512", with(fargateTD("f"), size("512", "512")), noFargateSize},
		{"fargate 1024/1024", with(fargateTD("f"), size("1024", "1024")), noFargateSize},
		{"fargate 1024/8192", with(fargateTD("f"), size("1024", "8192")), nil},
		{"fargate 2048/16384", with(fargateTD("f"), size("2048", "16384")), nil},
		{"fargate 4096/30720", with(fargateTD("f"), size("4096", "30720")), nil},
		{"fargate 4096/31744", with(fargateTD("f"), size("4096", "31744")), noFargateSize},
		{"fargate 8192/20480 (4 GB steps)", with(fargateTD("f"), size("8192", "20480")), nil},
		{"fargate 8192/17408 (not a 4 GB step)", with(fargateTD("f"), size("8192", "17408")), noFargateSize},
		{"fargate 16384/122880", with(fargateTD("f"), size("16384", "122880")), nil},
		{"fargate 1 vCPU / 2 GB", with(fargateTD("f"), size("1 vCPU", "2 GB")), nil},
		{"fargate 300 cpu", with(fargateTD("f"), size("300", "1024")), noFargateSize},
		{"fargate without cpu", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) { in.Cpu = nil }), errOf[*types.ClientException]("")},
		{"fargate needs awsvpc", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) { in.NetworkMode = types.NetworkModeBridge }),
			errOf[*types.ClientException]("Fargate only supports network mode 'awsvpc'.")},
		{"fargate privileged", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.Privileged = aws.Bool(true) })), errOf[*types.ClientException]("")},

		// EC2 memory rule.
		{"ec2 without memory", with(ec2TD("f"), container(func(cd *types.ContainerDefinition) { cd.Memory = nil })),
			errOf[*types.ClientException]("Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.")},
		{"ec2 with memoryReservation", with(ec2TD("f"), container(func(cd *types.ContainerDefinition) { cd.Memory, cd.MemoryReservation = nil, aws.Int32(64) })), nil},
		{"ec2 with task memory", with(ec2TD("f"), func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].Memory, in.Memory = nil, aws.String("512")
		}), nil},
		{"memoryReservation above memory", with(ec2TD("f"), container(func(cd *types.ContainerDefinition) { cd.MemoryReservation = aws.Int32(256) })), errOf[*types.ClientException]("")},

		// Secrets need an execution role.
		{"secrets without executionRoleArn", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) {
			cd.Secrets = []types.Secret{{Name: aws.String("A"), ValueFrom: aws.String("/a")}}
		})), errOf[*types.ClientException]("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")},
		{"secrets with executionRoleArn", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) {
			in.ExecutionRoleArn = aws.String("arn:aws:iam::000000000000:role/exec")
			in.ContainerDefinitions[0].Secrets = []types.Secret{{Name: aws.String("A"), ValueFrom: aws.String("/a")}}
		}), nil},

		// Ports.
		{"awsvpc hostPort differs", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.PortMappings[0].HostPort = aws.Int32(8080) })),
			errOf[*types.ClientException]("When networkMode=awsvpc, the host ports and container ports in port mappings must match.")},
		{"containerPort out of range", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) { cd.PortMappings[0].ContainerPort = aws.Int32(70000) })), errOf[*types.ClientException]("")},

		// Health checks (interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300).
		{"health check bounds ok", with(fargateTD("f"), health(types.HealthCheck{Interval: aws.Int32(5), Timeout: aws.Int32(60), Retries: aws.Int32(10), StartPeriod: aws.Int32(300)})), nil},
		{"health interval 4", with(fargateTD("f"), health(types.HealthCheck{Interval: aws.Int32(4)})), errLike[*types.ClientException]("healthCheck.interval")},
		{"health interval 301", with(fargateTD("f"), health(types.HealthCheck{Interval: aws.Int32(301)})), errLike[*types.ClientException]("healthCheck.interval")},
		{"health timeout 1", with(fargateTD("f"), health(types.HealthCheck{Timeout: aws.Int32(1)})), errLike[*types.ClientException]("healthCheck.timeout")},
		{"health timeout 61", with(fargateTD("f"), health(types.HealthCheck{Timeout: aws.Int32(61)})), errLike[*types.ClientException]("healthCheck.timeout")},
		{"health retries 0", with(fargateTD("f"), health(types.HealthCheck{Retries: aws.Int32(0)})), errLike[*types.ClientException]("healthCheck.retries")},
		{"health retries 11", with(fargateTD("f"), health(types.HealthCheck{Retries: aws.Int32(11)})), errLike[*types.ClientException]("healthCheck.retries")},
		{"health startPeriod 301", with(fargateTD("f"), health(types.HealthCheck{StartPeriod: aws.Int32(301)})), errLike[*types.ClientException]("healthCheck.startPeriod")},
		{"health command without CMD", with(fargateTD("f"), health(types.HealthCheck{Command: []string{"curl", "localhost"}})), errLike[*types.ClientException]("healthCheck.command")},

		// Dependencies.
		{"dependsOn unknown container", with(fargateTD("f"), container(func(cd *types.ContainerDefinition) {
			cd.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("db"), Condition: types.ContainerConditionStart}}
		})), errLike[*types.ClientException]("'db'")},
		{"dependsOn known container", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions = append(in.ContainerDefinitions, types.ContainerDefinition{Name: aws.String("init"), Image: aws.String("busybox"), Essential: aws.Bool(false)})
			in.ContainerDefinitions[0].DependsOn = []types.ContainerDependency{{ContainerName: aws.String("init"), Condition: types.ContainerConditionSuccess}}
		}), nil},

		{"aws: tag", with(fargateTD("f"), func(in *ecs.RegisterTaskDefinitionInput) { in.Tags = []types.Tag{tag("aws:cloudformation:x", "1")} }), errOf[*types.InvalidParameterException]("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RegisterTaskDefinition(ctx, tc.in)
			if tc.check == nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			tc.check(t, err)
		})
	}
}

func TestDescribeTaskDefinition(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	in := fargateTD("web")
	in.Tags = []types.Tag{tag("team", "x")}
	register(t, c, in)
	register(t, c, fargateTD("web"))
	register(t, c, fargateTD("web"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:3")}))(t)

	tests := []struct {
		ref        string
		wantRev    int32
		wantStatus types.TaskDefinitionStatus
	}{
		{"web", 2, types.TaskDefinitionStatusActive}, // latest ACTIVE revision
		{"web:1", 1, types.TaskDefinitionStatusActive},
		{"web:3", 3, types.TaskDefinitionStatusInactive}, // INACTIVE stays describable
		{arnOf("task-definition/web:2"), 2, types.TaskDefinitionStatusActive},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			out := must(c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tc.ref)}))(t)
			if out.TaskDefinition.Revision != tc.wantRev || out.TaskDefinition.Status != tc.wantStatus {
				t.Errorf("revision %d status %s, want %d %s", out.TaskDefinition.Revision, out.TaskDefinition.Status, tc.wantRev, tc.wantStatus)
			}
			if len(out.Tags) != 0 {
				t.Errorf("tags = %v without include TAGS", out.Tags)
			}
		})
	}

	t.Run("include TAGS", func(t *testing.T) {
		out := must(c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1"), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}}))(t)
		if got := tagsOf(out.Tags); got["team"] != "x" {
			t.Errorf("tags = %v", got)
		}
	})

	for _, tc := range []struct {
		ref   string
		check errCheck
	}{
		{"nope", errOf[*types.ClientException]("Unable to describe task definition.")},
		{"web:9", errOf[*types.ClientException]("Unable to describe task definition.")},
		{"web:x", errOf[*types.ClientException]("Invalid revision number. Number: x")},
		{"", errOf[*types.ClientException]("")},
	} {
		t.Run("error "+tc.ref, func(t *testing.T) {
			_, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tc.ref)})
			tc.check(t, err)
		})
	}
}

func TestDeregisterTaskDefinition(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "default")
	register(t, c, fargateTD("web"))
	register(t, c, fargateTD("web"))

	t.Run("by family:revision", func(t *testing.T) {
		out := must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:1")}))(t)
		if out.TaskDefinition.Status != types.TaskDefinitionStatusInactive || out.TaskDefinition.DeregisteredAt == nil {
			t.Errorf("status %s, deregisteredAt %v; want INACTIVE with a time", out.TaskDefinition.Status, out.TaskDefinition.DeregisteredAt)
		}
		// INACTIVE revisions cannot start new tasks.
		_, err := c.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("web:1"), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
		requireErr[*types.ClientException](t, err, "TaskDefinition is inactive")
	})

	t.Run("by ARN", func(t *testing.T) {
		out := must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(arnOf("task-definition/web:2"))}))(t)
		if out.TaskDefinition.Status != types.TaskDefinitionStatusInactive {
			t.Errorf("status = %s", out.TaskDefinition.Status)
		}
		// With no ACTIVE revision left, the bare family resolves to nothing.
		_, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web")})
		requireErr[*types.ClientException](t, err, "Unable to describe task definition.")
	})

	for _, tc := range []struct {
		name, ref string
		check     errCheck
	}{
		{"bare family", "web", errOf[*types.ClientException]("Revision is missing.")},
		{"unknown family", "nope:1", errOf[*types.ClientException]("Unable to describe task definition.")},
		{"unknown revision", "web:7", errOf[*types.ClientException]("Unable to describe task definition.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(tc.ref)})
			tc.check(t, err)
		})
	}
}

func TestDeleteTaskDefinitions(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	register(t, c, fargateTD("web"))
	register(t, c, fargateTD("web"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:2")}))(t)

	out := must(c.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"web:1", arnOf("task-definition/web:2"), "nope:1"}}))(t)
	if len(out.TaskDefinitions) != 1 || out.TaskDefinitions[0].Revision != 2 || out.TaskDefinitions[0].Status != types.TaskDefinitionStatusDeleteInProgress {
		t.Errorf("deleted = %+v, want web:2 DELETE_IN_PROGRESS", out.TaskDefinitions)
	}
	if out.TaskDefinitions[0].DeleteRequestedAt == nil {
		t.Error("deleteRequestedAt not set")
	}
	arns := map[string]bool{}
	for _, f := range out.Failures {
		arns[aws.ToString(f.Arn)] = true
		if aws.ToString(f.Reason) == "" {
			t.Errorf("failure %s has no reason", aws.ToString(f.Arn))
		}
	}
	if len(out.Failures) != 2 || !arns[arnOf("task-definition/web:1")] || !arns["nope:1"] {
		t.Errorf("failures = %v, want the ACTIVE web:1 and the unknown nope:1", failureReasons(out.Failures))
	}
	active := must(c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1")}))(t)
	if active.TaskDefinition.Status != types.TaskDefinitionStatusActive {
		t.Errorf("web:1 = %s, want still ACTIVE", active.TaskDefinition.Status)
	}
	listed := must(c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusDeleteInProgress}))(t)
	equalStrings(t, "DELETE_IN_PROGRESS", listed.TaskDefinitionArns, []string{arnOf("task-definition/web:2")})

	for _, tc := range []struct {
		name string
		refs []string
	}{
		{"empty", []string{}},
		{"more than 10", []string{"a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7", "a:8", "a:9", "a:10", "a:11"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: tc.refs})
			requireErr[*types.InvalidParameterException](t, err, "")
		})
	}
}

// A service keeps scaling on a task definition that is being deleted.
func TestDeleteInProgressTaskDefinitionStillScales(t *testing.T) {
	t.Parallel()
	c := startStatic(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))
	createService(t, c, fargateService("dev", "svc", *td.TaskDefinitionArn, 0))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: td.TaskDefinitionArn}))(t)
	must(c.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{*td.TaskDefinitionArn}}))(t)

	out := must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), DesiredCount: aws.Int32(2)}))(t)
	if out.Service.DesiredCount != 2 {
		t.Errorf("desiredCount = %d, want 2", out.Service.DesiredCount)
	}
	// But a service cannot be moved onto it, nor tasks started from it.
	_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), TaskDefinition: td.TaskDefinitionArn, ForceNewDeployment: true})
	requireErr[*types.ClientException](t, err, "TaskDefinition not found.")
	_, err = c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn, LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
	requireErr[*types.ClientException](t, err, "TaskDefinition not found.")
}

func TestListTaskDefinitions(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	for _, f := range []string{"web", "web", "web", "webapp", "api", "api"} {
		register(t, c, fargateTD(f))
	}
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:2")}))(t)
	arns := func(refs ...string) []string {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = arnOf("task-definition/" + r)
		}
		return out
	}

	tests := []struct {
		name string
		in   ecs.ListTaskDefinitionsInput
		want []string
	}{
		{"default ACTIVE ascending", ecs.ListTaskDefinitionsInput{}, arns("api:1", "api:2", "web:1", "web:3", "webapp:1")},
		{"descending", ecs.ListTaskDefinitionsInput{Sort: types.SortOrderDesc}, arns("webapp:1", "web:3", "web:1", "api:2", "api:1")},
		{"familyPrefix is the full family", ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("web")}, arns("web:1", "web:3")},
		{"familyPrefix matching no family", ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("we")}, []string{}},
		{"INACTIVE", ecs.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusInactive}, arns("web:2")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(c.ListTaskDefinitions(ctx, &tc.in))(t)
			equalStrings(t, "taskDefinitionArns", out.TaskDefinitionArns, tc.want)
		})
	}

	t.Run("paginator", func(t *testing.T) {
		p := ecs.NewListTaskDefinitionsPaginator(c, &ecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(2)})
		var got []string
		for p.HasMorePages() {
			got = append(got, must(p.NextPage(ctx))(t).TaskDefinitionArns...)
		}
		equalStrings(t, "paged", got, arns("api:1", "api:2", "web:1", "web:3", "webapp:1"))
	})

	t.Run("maxResults 101", func(t *testing.T) {
		_, err := c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(101)})
		requireErr[*types.InvalidParameterException](t, err, "")
	})
}

func TestListTaskDefinitionFamilies(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	for _, f := range []string{"web", "webapp", "api", "old"} {
		register(t, c, fargateTD(f))
	}
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("old:1")}))(t)

	tests := []struct {
		name string
		in   ecs.ListTaskDefinitionFamiliesInput
		want []string
	}{
		{"default lists ACTIVE and INACTIVE", ecs.ListTaskDefinitionFamiliesInput{}, []string{"api", "old", "web", "webapp"}},
		{"ALL", ecs.ListTaskDefinitionFamiliesInput{Status: types.TaskDefinitionFamilyStatusAll}, []string{"api", "old", "web", "webapp"}},
		{"ACTIVE", ecs.ListTaskDefinitionFamiliesInput{Status: types.TaskDefinitionFamilyStatusActive}, []string{"api", "web", "webapp"}},
		{"INACTIVE", ecs.ListTaskDefinitionFamiliesInput{Status: types.TaskDefinitionFamilyStatusInactive}, []string{"old"}},
		{"familyPrefix is a prefix", ecs.ListTaskDefinitionFamiliesInput{FamilyPrefix: aws.String("we")}, []string{"web", "webapp"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(c.ListTaskDefinitionFamilies(ctx, &tc.in))(t)
			equalStrings(t, "families", out.Families, tc.want)
		})
	}

	t.Run("paginator", func(t *testing.T) {
		p := ecs.NewListTaskDefinitionFamiliesPaginator(c, &ecs.ListTaskDefinitionFamiliesInput{MaxResults: aws.Int32(3)})
		var got []string
		for p.HasMorePages() {
			got = append(got, must(p.NextPage(ctx))(t).Families...)
		}
		equalStrings(t, "paged", got, []string{"api", "old", "web", "webapp"})
	})

	t.Run("maxResults 0", func(t *testing.T) {
		_, err := c.ListTaskDefinitionFamilies(ctx, &ecs.ListTaskDefinitionFamiliesInput{MaxResults: aws.Int32(0)})
		requireErr[*types.InvalidParameterException](t, err, "")
	})
}
