#!/usr/bin/env bash
# End-to-end check of secrets and environment files with the real AWS CLI
# and real containers: an SSM SecureString, a key of a Secrets Manager JSON
# secret and an S3 environment file reach a task's environment (the
# environment overriding the file); Secrets Manager versions through the
# CLI; a missing parameter and a secret scheduled for deletion stop their
# tasks with ECS's reasons; a CloudFormation stack's generated secret
# reaches its task; RegisterTaskDefinition wants an execution role.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4662}
. e2e/lib.sh

build_emulator
start_emulator
default_network

ROLE=arn:aws:iam::000000000000:role/ecsTaskExecutionRole
aws ecs create-cluster --cluster-name dev >/dev/null

echo "== the sources"
aws ssm put-parameter --name /app/db-password --type SecureString --value 'p@ss w0rd' >/dev/null
SECRET=$(aws secretsmanager create-secret --name app/creds --secret-string '{"user":"admin","port":5432}' --query ARN --output text)
case "$SECRET" in arn:aws:secretsmanager:us-east-1:000000000000:secret:app/creds-??????) pass "secret ARN with its suffix ($SECRET)" ;; *) fail "secret ARN $SECRET" ;; esac
aws s3api create-bucket --bucket config >/dev/null
printf '# app settings\nFROM_FILE=one\nOVERRIDDEN=file\n' >"$WORK/app.env"
aws s3api put-object --bucket config --key app.env --body "$WORK/app.env" >/dev/null

echo "== Secrets Manager versions"
aws secretsmanager put-secret-value --secret-id app/creds --secret-string '{"user":"admin","port":5433}' >/dev/null
check "AWSPREVIOUS" "$(aws secretsmanager get-secret-value --secret-id app/creds --version-stage AWSPREVIOUS --query SecretString --output text)" '{"user":"admin","port":5432}'
check "versions with labels" "$(aws secretsmanager describe-secret --secret-id "$SECRET" --query 'length(keys(VersionIdsToStages))' --output text)" "2"

echo "== a task with secrets and an environment file"
taskdef() { # taskdef family secrets-json
	cat >"$WORK/$1.json" <<JSON
{"family": "$1", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "executionRoleArn": "$ROLE",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "stopTimeout": 2,
   "environment": [{"name": "ECHO_ENV", "value": "DB_PASSWORD,DB_USER,DB_PORT,FROM_FILE,OVERRIDDEN"}, {"name": "OVERRIDDEN", "value": "environment"}],
   "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::config/app.env"}],
   "secrets": $2}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/$1.json" --query taskDefinition.taskDefinitionArn --output text
}
run() { aws ecs run-task --cluster dev --task-definition "$1" --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" --query 'tasks[0].taskArn' --output text; }
TD=$(taskdef app '[{"name": "DB_PASSWORD", "valueFrom": "/app/db-password"}, {"name": "DB_USER", "valueFrom": "'"$SECRET"':user::"}, {"name": "DB_PORT", "valueFrom": "'"$SECRET"':port::"}]')
TASK=$(run "$TD")
aws ecs wait tasks-running --cluster dev --tasks "$TASK" && pass "tasks-running"
IP=$(aws ecs describe-tasks --cluster dev --tasks "$TASK" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
answers() { curl -fsS -o /dev/null "http://$IP:8080/" 2>/dev/null; }
wait_for "the app answers" 20 answers
ENV=$(curl -fsS "http://$IP:8080/" | tr -d '\n ')
for want in '"DB_PASSWORD":"p@ssw0rd"' '"DB_USER":"admin"' '"DB_PORT":"5433"' '"FROM_FILE":"one"' '"OVERRIDDEN":"environment"'; do
	case "$ENV" in *"$want"*) pass "env has $want" ;; *) fail "env lacks $want: $ENV" ;; esac
done
aws ecs stop-task --cluster dev --task "$TASK" >/dev/null

echo "== what is missing stops the task"
MISSING=$(run "$(taskdef missing '[{"name": "A", "valueFrom": "/app/missing"}]')")
aws ecs wait tasks-stopped --cluster dev --tasks "$MISSING"
check "stopCode" "$(aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stopCode' --output text)" "TaskFailedToStart"
check "stoppedReason" "$(aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stoppedReason' --output text)" \
	"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /app/missing"
aws secretsmanager delete-secret --secret-id app/creds --recovery-window-in-days 7 >/dev/null
DELETED=$(run "$TD")
aws ecs wait tasks-stopped --cluster dev --tasks "$DELETED"
check "stoppedReason for a secret marked for deletion" "$(aws ecs describe-tasks --cluster dev --tasks "$DELETED" --query 'tasks[0].stoppedReason' --output text)" \
	"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret $SECRET from secrets manager: InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion."

echo "== a CloudFormation stack: a generated secret and a task definition that uses a key of it"
cat >"$WORK/stack.yaml" <<YAML
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        SecretStringTemplate: '{"username":"app"}'
        GenerateStringKey: password
        ExcludePunctuation: true
        PasswordLength: 24
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: stacked
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: $ROLE
      ContainerDefinitions:
        - Name: web
          Image: $IMAGE
          StopTimeout: 2
          Environment: [{Name: ECHO_ENV, Value: DB_PASSWORD}]
          Secrets:
            - Name: DB_PASSWORD
              ValueFrom: !Join ["", [!Ref DbSecret, ":password::"]]
Outputs:
  SecretArn: {Value: !Ref DbSecret}
  TaskDef: {Value: !Ref TaskDef}
YAML
aws cloudformation deploy --stack-name secrets --template-file "$WORK/stack.yaml" >/dev/null && pass "cloudformation deploy"
output() { aws cloudformation describe-stacks --stack-name secrets --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
STACK_SECRET=$(output SecretArn)
GENERATED=$(aws secretsmanager get-secret-value --secret-id "$STACK_SECRET" --query SecretString --output text)
PASSWORD=$(echo "$GENERATED" | sed -n 's/.*"password": *"\([^"]*\)".*/\1/p')
check "generated password length" "${#PASSWORD}" "24"
STACKED=$(run "$(output TaskDef)")
aws ecs wait tasks-running --cluster dev --tasks "$STACKED" && pass "the stack's task runs"
IP=$(aws ecs describe-tasks --cluster dev --tasks "$STACKED" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
wait_for "the stack's task answers" 20 answers
case "$(curl -fsS "http://$IP:8080/" | tr -d '\n ')" in *"\"DB_PASSWORD\":\"$PASSWORD\""*) pass "the task has the generated password" ;; *) fail "the task lacks the generated password" ;; esac
aws ecs stop-task --cluster dev --task "$STACKED" >/dev/null
aws cloudformation delete-stack --stack-name secrets
aws cloudformation wait stack-delete-complete --stack-name secrets && pass "stack deleted"
out=$(aws secretsmanager describe-secret --secret-id "$STACK_SECRET" 2>&1 || true)
case "$out" in *"(ResourceNotFoundException)"*) pass "the stack's secret is deleted without a recovery window" ;; *) fail "after delete-stack: $out" ;; esac

echo "== bad input"
cat >"$WORK/norole.json" <<JSON
{"family": "norole", "containerDefinitions": [{"name": "web", "image": "$IMAGE", "memory": 64, "secrets": [{"name": "A", "valueFrom": "/x"}]}]}
JSON
out=$(aws ecs register-task-definition --cli-input-json "file://$WORK/norole.json" 2>&1 || true)
case "$out" in *"(ClientException)"*"executionRoleArn"*) pass "secrets without an execution role: ClientException" ;; *) fail "register without a role: $out" ;; esac
out=$(aws secretsmanager get-secret-value --secret-id nope 2>&1 || true)
case "$out" in *"(ResourceNotFoundException)"*"can't find the specified secret."*) pass "ResourceNotFoundException" ;; *) fail "get of a missing secret: $out" ;; esac

finish
