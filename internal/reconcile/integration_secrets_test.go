package reconcile_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

const executionRole = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"

// secretsFixture is a fixture with the services secrets come from.
type secretsFixture struct {
	*fixture
	ssm     *ssm.Client
	secrets *secretsmanager.Client
	s3      *s3.Client
}

func newSecretsFixture(t *testing.T) *secretsFixture {
	f := newFixture(t)
	cfg := f.e.Config("us-east-1")
	return &secretsFixture{
		fixture: f,
		ssm:     ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(f.e.URL) }),
		secrets: secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(f.e.URL) }),
		s3:      s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(f.e.URL); o.UsePathStyle = true }),
	}
}

// registerWithRole registers a Fargate task definition with an execution
// role, which ECS requires of containers with secrets.
func (f *secretsFixture) registerWithRole(family string, cd types.ContainerDefinition) string {
	f.t.Helper()
	out, err := f.ecs.RegisterTaskDefinition(f.ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn:     aws.String(executionRole),
		ContainerDefinitions: []types.ContainerDefinition{cd},
	})
	if err != nil {
		f.t.Fatalf("RegisterTaskDefinition %s: %v", family, err)
	}
	return *out.TaskDefinition.TaskDefinitionArn
}

func secret(name, from string) types.Secret {
	return types.Secret{Name: aws.String(name), ValueFrom: aws.String(from)}
}

func envFile(arn string) types.EnvironmentFile {
	return types.EnvironmentFile{Type: types.EnvironmentFileTypeS3, Value: aws.String(arn)}
}

// A container gets an SSM SecureString, a key of a Secrets Manager JSON
// secret, a whole secret and the variables of its environment files,
// which its environment overrides.
func TestIntegrationSecretsAndEnvironmentFiles(t *testing.T) {
	t.Parallel()
	f := newSecretsFixture(t)
	ctx := f.ctx
	if _, err := f.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db-password"), Value: aws.String("p@ss w0rd"), Type: ssmtypes.ParameterTypeSecureString}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("plain"), Value: aws.String("by-arn"), Type: ssmtypes.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	created, err := f.secrets.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/creds"), SecretString: aws.String(`{"user":"admin","port":5432}`)})
	if err != nil {
		t.Fatal(err)
	}
	secretARN := aws.ToString(created.ARN)
	if _, err := f.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("config")}); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"app.env":    "# settings\nFROM_FILE=one\n  INDENTED=kept  \nOVERRIDDEN=file\nnot a variable\nEMPTY=\n",
		"second.env": "FROM_FILE=second-loses\nSECOND=two\n",
	}
	for key, body := range files {
		if _, err := f.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("config"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}

	cd := f.app("web", "ECHO_ENV=DB_PASSWORD,PLAIN,DB_USER,DB_PORT,WHOLE,FROM_FILE,SECOND,OVERRIDDEN,INDENTED,EMPTY", "OVERRIDDEN=environment")
	cd.Secrets = []types.Secret{
		secret("DB_PASSWORD", "/app/db-password"),
		secret("PLAIN", "arn:aws:ssm:us-east-1:000000000000:parameter/plain"),
		secret("DB_USER", secretARN+":user::"),
		secret("DB_PORT", secretARN+":port:AWSCURRENT:"),
		secret("WHOLE", strings.TrimSuffix(secretARN, secretARN[len(secretARN)-7:])), // a partial ARN
	}
	cd.EnvironmentFiles = []types.EnvironmentFile{envFile("arn:aws:s3:::config/app.env"), envFile("arn:aws:s3:::config/second.env")}
	task := f.runTask(f.registerWithRole("secrets", cd))
	task = f.waitRunning(aws.ToString(task.TaskArn), 60*time.Second)

	env := f.echoedEnv(t, task)
	want := map[string]string{
		"DB_PASSWORD": "p@ss w0rd", "PLAIN": "by-arn", "DB_USER": "admin", "DB_PORT": "5432",
		"WHOLE": `{"user":"admin","port":5432}`, "FROM_FILE": "one", "SECOND": "two", "OVERRIDDEN": "environment", "INDENTED": "kept",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q (env %v)", k, env[k], v, env)
		}
	}
	if _, ok := env["EMPTY"]; ok {
		t.Errorf("a line without a value set EMPTY: %v", env)
	}
}

// echoedEnv is the environment the test app shows in GET /.
func (f *fixture) echoedEnv(t *testing.T, task types.Task) map[string]string {
	t.Helper()
	url := fmt.Sprintf("http://%s:%d/", taskIP(task), appPort)
	var code int
	var body string
	var err error
	waitFor(t, "GET "+url+" = 200", 10*time.Second, func() bool {
		code, body, err = httpGet(url)
		return err == nil && code == 200
	}, func() string { return fmt.Sprintf("%d %q %v", code, body, err) })
	var doc struct {
		Env map[string]string `json:"env"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("GET / = %q: %v", body, err)
	}
	return doc.Env
}

// A secret or environment file that is not there stops the task before
// any container is created, with ECS's stop code and reason.
func TestIntegrationMissingSecrets(t *testing.T) {
	t.Parallel()
	f := newSecretsFixture(t)
	created, err := f.secrets.CreateSecret(f.ctx, &secretsmanager.CreateSecretInput{Name: aws.String("json"), SecretString: aws.String(`{"a":"b"}`)})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(created.ARN)
	missingARN := "arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf"
	tests := []struct {
		name   string
		mutate func(*types.ContainerDefinition)
		reason string
	}{
		{"ssm", func(cd *types.ContainerDefinition) {
			cd.Secrets = []types.Secret{secret("A", "/missing/one"), secret("B", "/missing/two")}
		}, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /missing/one,/missing/two"},
		{"asm", func(cd *types.ContainerDefinition) { cd.Secrets = []types.Secret{secret("A", missingARN)} },
			"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + missingARN + " from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."},
		{"jsonkey", func(cd *types.ContainerDefinition) { cd.Secrets = []types.Secret{secret("A", arn+":nokey::")} },
			"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key nokey"},
		{"envfile", func(cd *types.ContainerDefinition) {
			cd.EnvironmentFiles = []types.EnvironmentFile{envFile("arn:aws:s3:::no-such-bucket/app.env")}
		}, "ResourceInitializationError: failed to download env files: service call has been retried 1 time(s): operation error S3: HeadObject, https response error StatusCode: 404, api error NotFound: Not Found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cd := f.app("web")
			tc.mutate(&cd)
			task := f.runTask(f.registerWithRole("missing-"+tc.name, cd))
			task = f.waitStopped(aws.ToString(task.TaskArn), 60*time.Second)
			if task.StopCode != types.TaskStopCodeTaskFailedToStart || aws.ToString(task.StoppedReason) != tc.reason {
				t.Errorf("stopCode %s, stoppedReason\n%q\nwant TaskFailedToStart and\n%q", task.StopCode, aws.ToString(task.StoppedReason), tc.reason)
			}
			if id := aws.ToString(containerOf(t, task, "web").RuntimeId); id != "" {
				t.Errorf("a container was created (%s) although its secrets were missing", id)
			}
		})
	}
}
