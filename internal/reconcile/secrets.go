package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// SecretSource is where a task's start reads what its containers take
// from other services: `secrets` from SSM Parameter Store and Secrets
// Manager, `environmentFiles` from S3. Errors are the services' own
// (smithy.APIError values), which the task's stoppedReason quotes.
type SecretSource interface {
	// SSMParameter reads a parameter (name or ARN, with an optional
	// ":version" or ":label" selector) decrypted; found is false when
	// there is no such parameter or version.
	SSMParameter(ctx context.Context, account, region, ref string) (value string, found bool, err error)
	// SecretString reads a secret's SecretString: the version that
	// versionID or versionStage names, AWSCURRENT when both are "".
	SecretString(ctx context.Context, account, region, secretID, versionStage, versionID string) (string, error)
	// S3Object reads a whole object.
	S3Object(ctx context.Context, bucket, key string) ([]byte, error)
}

// The prefixes of ECS's stoppedReason when a task cannot get its secrets
// or environment files (Fargate's texts; the agent retries once).
const (
	secretsFailure  = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
	ssmFailure      = secretsFailure + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): "
	asmFailure      = secretsFailure + "unable to retrieve secret from asm: service call has been retried 1 time(s): "
	envFilesFailure = "ResourceInitializationError: failed to download env files: service call has been retried 1 time(s): "
)

// kvPair is one variable a container gets.
type kvPair struct{ name, value string }

// injectedEnv is what a container gets besides its environment: the
// variables of its environment files and its secrets.
type injectedEnv struct {
	files   []kvPair
	secrets []kvPair
}

// resolveTaskEnv reads the secrets and environment files of the
// containers not created yet. On failure it stops the task with ECS's
// reason and reports false.
func (r *Reconciler) resolveTaskEnv(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) (map[string]injectedEnv, bool) {
	out := map[string]injectedEnv{}
	var failure string
	for _, cd := range t.Definition.ContainerDefinitions {
		name := deref(cd.Name)
		files := envFilesOf(t, cd)
		if t.ContainerIDs[name] != "" || (len(cd.Secrets) == 0 && len(files) == 0) {
			continue
		}
		if r.opts.Secrets == nil {
			failure = secretsFailure + "this emulator was built without a secret source"
			break
		}
		var in injectedEnv
		if in.secrets, failure = r.resolveSecrets(ctx, t, cd.Secrets); failure == "" {
			in.files, failure = r.readEnvFiles(ctx, files)
		}
		if failure != "" {
			break
		}
		out[name] = in
	}
	if failure != "" {
		if ctx.Err() == nil {
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, "", failure)
		}
		return nil, false
	}
	return out, true
}

// envFilesOf is the container's environment files: the override's,
// which replace the definition's, or the definition's.
func envFilesOf(t *ecsapi.Task, cd types.ContainerDefinition) []types.EnvironmentFile {
	if o := override(t, deref(cd.Name)); o != nil && o.EnvironmentFiles != nil {
		return o.EnvironmentFiles
	}
	return cd.EnvironmentFiles
}

// resolveSecrets reads a container's secrets: a valueFrom that is a
// Secrets Manager ARN from Secrets Manager, anything else (a parameter
// name or ARN) from Parameter Store. Missing parameters are reported
// together, as the agent's batched GetParameters reports them.
func (r *Reconciler) resolveSecrets(ctx context.Context, t *ecsapi.Task, secrets []types.Secret) ([]kvPair, string) {
	account, region := accountOf(*t.TaskArn), regionOf(*t.TaskArn)
	var pairs []kvPair
	var invalid []string
	for _, s := range secrets {
		from := deref(s.ValueFrom)
		if strings.HasPrefix(from, "arn:aws:secretsmanager:") {
			v, failure := r.secretValue(ctx, from)
			if failure != "" {
				return nil, failure
			}
			pairs = append(pairs, kvPair{deref(s.Name), v})
			continue
		}
		acct, reg := account, region
		if strings.HasPrefix(from, "arn:") {
			acct, reg = accountOf(from), regionOf(from)
		}
		v, found, err := r.opts.Secrets.SSMParameter(ctx, acct, reg, from)
		switch {
		case err != nil:
			return nil, ssmFailure + errorText(err)
		case !found:
			invalid = append(invalid, from)
		default:
			pairs = append(pairs, kvPair{deref(s.Name), v})
		}
	}
	if len(invalid) > 0 {
		return nil, ssmFailure + "invalid ssm parameters: " + strings.Join(invalid, ",")
	}
	return pairs, ""
}

// secretRef is a Secrets Manager valueFrom: the secret's ARN and ECS's
// optional selectors, arn:...:secret:name-AbCdEf:json-key:version-stage:version-id.
type secretRef struct {
	arn, jsonKey, stage, versionID string
}

func parseSecretRef(valueFrom string) (secretRef, bool) {
	parts := strings.Split(valueFrom, ":")
	if len(parts) < 7 || len(parts) > 10 || parts[5] != "secret" {
		return secretRef{}, false
	}
	for len(parts) < 10 {
		parts = append(parts, "")
	}
	return secretRef{arn: strings.Join(parts[:7], ":"), jsonKey: parts[7], stage: parts[8], versionID: parts[9]}, true
}

// secretValue reads one Secrets Manager valueFrom, the whole SecretString
// or one key of its JSON object.
func (r *Reconciler) secretValue(ctx context.Context, valueFrom string) (string, string) {
	ref, ok := parseSecretRef(valueFrom)
	if !ok {
		return "", asmFailure + "invalid secret ARN " + valueFrom
	}
	s, err := r.opts.Secrets.SecretString(ctx, accountOf(ref.arn), regionOf(ref.arn), ref.arn, ref.stage, ref.versionID)
	if err != nil {
		return "", asmFailure + "failed to fetch secret " + ref.arn + " from secrets manager: " + errorText(err)
	}
	if ref.jsonKey == "" {
		return s, ""
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return "", asmFailure + "retrieved secret from Secrets Manager is not a valid json object: " + err.Error()
	}
	raw, ok := doc[ref.jsonKey]
	if !ok {
		return "", asmFailure + "retrieved secret from Secrets Manager did not contain json key " + ref.jsonKey
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str, ""
	}
	return string(raw), "" // numbers, booleans, objects: their JSON text
}

// readEnvFiles reads a container's environment files in order; a
// variable keeps the value of the first file that sets it.
func (r *Reconciler) readEnvFiles(ctx context.Context, files []types.EnvironmentFile) ([]kvPair, string) {
	var pairs []kvPair
	seen := map[string]bool{}
	for _, f := range files {
		bucket, key, ok := parseS3ARN(deref(f.Value))
		if f.Type != types.EnvironmentFileTypeS3 || !ok {
			return nil, envFilesFailure + fmt.Sprintf("invalid environment file %q of type %q: want an S3 object ARN (arn:aws:s3:::bucket/key) of type s3", deref(f.Value), f.Type)
		}
		body, err := r.opts.Secrets.S3Object(ctx, bucket, key)
		if err != nil {
			return nil, envFilesFailure + s3ErrorText(err)
		}
		for _, kv := range parseEnvFile(string(body)) {
			if !seen[kv.name] {
				seen[kv.name] = true
				pairs = append(pairs, kv)
			}
		}
	}
	return pairs, ""
}

// parseS3ARN splits arn:aws:s3:::bucket/key.
func parseS3ARN(arn string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok {
		return "", "", false
	}
	bucket, key, ok = strings.Cut(rest, "/")
	return bucket, key, ok && bucket != "" && key != ""
}

// parseEnvFile reads an environment file as the ECS agent does: one
// VARIABLE=VALUE a line, surrounding blanks trimmed, lines beginning with
// # and lines without a name or value skipped; the value is taken as it
// is (no quotes or escapes are processed). A later line wins.
func parseEnvFile(text string) []kvPair {
	var pairs []kvPair
	index := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || name == "" || value == "" {
			continue
		}
		if i, dup := index[name]; dup {
			pairs[i].value = value
			continue
		}
		index[name] = len(pairs)
		pairs = append(pairs, kvPair{name, value})
	}
	return pairs
}

// withInjected completes a container's environment: environment-file
// variables where the environment does not set them (ECS: the environment
// wins), then the secrets over everything.
func withInjected(env []string, in injectedEnv) []string {
	out := make([]string, 0, len(env)+len(in.files)+len(in.secrets))
	set := map[string]int{}
	add := func(name, value string, replace bool) {
		i, ok := set[name]
		switch {
		case !ok:
			set[name] = len(out)
			out = append(out, name+"="+value)
		case replace:
			out[i] = name + "=" + value
		}
	}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		add(name, value, true)
	}
	for _, kv := range in.files {
		add(kv.name, kv.value, false)
	}
	for _, kv := range in.secrets {
		add(kv.name, kv.value, true)
	}
	return out
}

// errorText is an API error as the AWS SDK prints it, "Code: message".
func errorText(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	return err.Error()
}

// s3ErrorText is a failed object download as the agent's HeadObject call
// reports it: a missing bucket or key is a bare 404 (a HEAD response has
// no body to name the error).
func s3ErrorText(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NoSuchBucket") {
		return "operation error S3: HeadObject, https response error StatusCode: 404, api error NotFound: Not Found"
	}
	return "operation error S3: HeadObject, " + errorText(err)
}
