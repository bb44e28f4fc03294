package logs_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

func TestLogGroupLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	must(e.C.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web"),
		KmsKeyId: aws.String("arn:aws:kms:us-east-1:000000000000:key/k"), LogGroupClass: types.LogGroupClassInfrequentAccess,
		Tags: map[string]string{"team": "a"}}))(t)
	_, err := e.C.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	if got := wantCode(t, err, "ResourceAlreadyExistsException").ErrorMessage(); got != "The specified log group already exists" {
		t.Errorf("message = %q", got)
	}
	out := must(e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t)
	if len(out.LogGroups) != 1 {
		t.Fatalf("groups = %+v", out.LogGroups)
	}
	g := out.LogGroups[0]
	if aws.ToString(g.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web:*" ||
		aws.ToString(g.LogGroupArn) != "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web" ||
		aws.ToInt64(g.CreationTime) != t0.UnixMilli() || aws.ToInt64(g.StoredBytes) != 0 || g.RetentionInDays != nil ||
		g.LogGroupClass != types.LogGroupClassInfrequentAccess || aws.ToString(g.KmsKeyId) == "" {
		t.Errorf("group = %+v", g)
	}
	if got := logsapi.GroupARN(region, account, "/ecs/web"); got != aws.ToString(g.LogGroupArn) {
		t.Errorf("GroupARN = %q", got)
	}
	must(e.C.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/ecs/web")}))(t)
	_, err = e.C.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	if got := wantCode(t, err, "ResourceNotFoundException").ErrorMessage(); got != "The specified log group does not exist." {
		t.Errorf("message = %q", got)
	}
	// Another region has its own groups.
	e.group(t, "/ecs/web")
	other := must(e.client("eu-west-1").DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t)
	if len(other.LogGroups) != 0 {
		t.Errorf("eu-west-1 sees %+v", other.LogGroups)
	}
}

func TestCreateLogGroupValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	c := e.unvalidated()
	tests := []struct {
		name string
		in   cloudwatchlogs.CreateLogGroupInput
		msg  string
	}{
		{"missing name", cloudwatchlogs.CreateLogGroupInput{}, "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null"},
		{"bad character", cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("a b")},
			`1 validation error detected: Value 'a b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"bad class", cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g"), LogGroupClass: "COLD"},
			"1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY, ESSENTIALS]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateLogGroup(t.Context(), &tc.in)
			if got := wantCode(t, err, "InvalidParameterException").ErrorMessage(); got != tc.msg {
				t.Errorf("message = %q, want %q", got, tc.msg)
			}
		})
	}
}

func TestGroupLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{MaxGroups: 2, MaxStreams: 1})
	e.group(t, "a")
	e.group(t, "b")
	_, err := e.C.CreateLogGroup(t.Context(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("c")})
	wantCode(t, err, "LimitExceededException")
	e.stream(t, "a", "s")
	_, err = e.C.CreateLogStream(t.Context(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("b"), LogStreamName: aws.String("s")})
	wantCode(t, err, "LimitExceededException")
	// Deleting the group gives its streams back.
	must(e.C.DeleteLogGroup(t.Context(), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("a")}))(t)
	e.stream(t, "b", "s")
}

func TestDescribeLogGroupsFiltersAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	for _, n := range []string{"/ecs/api", "/ecs/Web", "/lambda/web-fn", "other"} {
		e.group(t, n)
	}
	names := func(in *cloudwatchlogs.DescribeLogGroupsInput) []string {
		t.Helper()
		var got []string
		p := cloudwatchlogs.NewDescribeLogGroupsPaginator(e.C, in)
		for p.HasMorePages() {
			for _, g := range must(p.NextPage(ctx))(t).LogGroups {
				got = append(got, *g.LogGroupName)
			}
		}
		return got
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.DescribeLogGroupsInput
		want []string
	}{
		{"all, one a page", cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(1)}, []string{"/ecs/Web", "/ecs/api", "/lambda/web-fn", "other"}},
		{"prefix", cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/")}, []string{"/ecs/Web", "/ecs/api"}},
		{"pattern is a case-insensitive substring", cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("web")}, []string{"/ecs/Web", "/lambda/web-fn"}},
		{"identifiers", cloudwatchlogs.DescribeLogGroupsInput{LogGroupIdentifiers: []string{"other", logsapi.GroupARN(region, account, "/ecs/api")}}, []string{"/ecs/api", "other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(&tc.in); !equal(got, tc.want) {
				t.Errorf("names = %q, want %q", got, tc.want)
			}
		})
	}
	_, err := e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{NextToken: aws.String("nonsense")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(51)})
	wantCode(t, err, "InvalidParameterException")
}

func TestRetentionPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	for _, days := range []int32{0, 2, 4000} {
		_, err := e.C.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(days)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err := e.C.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("none"), RetentionInDays: aws.Int32(7)})
	wantCode(t, err, "ResourceNotFoundException")
	must(e.C.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(3653)}))(t)
	retention := func() *int32 {
		return must(e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t).LogGroups[0].RetentionInDays
	}
	if got := retention(); aws.ToInt32(got) != 3653 {
		t.Errorf("retention = %v", got)
	}
	must(e.C.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")}))(t)
	if got := retention(); got != nil {
		t.Errorf("retention after delete = %v", *got)
	}
	_, err = e.C.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("none")})
	wantCode(t, err, "ResourceNotFoundException")
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
