#!/usr/bin/env bash
# End-to-end check of the README walkthrough with the real AWS CLI and real
# containers: cluster, task definition, service of 3, a killed container
# replaced, scaling 3 → 1 → 4, a missing image, delete --force leaving
# nothing behind, a restart sweeping orphans, and AWS errors for bad input.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4599}
. e2e/lib.sh

build_emulator

echo "== start"
start_emulator
default_network

echo "== walkthrough"
aws ecs create-cluster --cluster-name dev >/dev/null
cat >"$WORK/web.json" <<JSON
{
  "family": "web",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [{
    "name": "web",
    "image": "$IMAGE",
    "essential": true,
    "portMappings": [{"containerPort": 8080}],
    "healthCheck": {"command": ["CMD", "/testapp", "healthcheck"], "interval": 5, "timeout": 5, "retries": 3}
  }]
}
JSON
check "task definition revision" "$(aws ecs register-task-definition --cli-input-json "file://$WORK/web.json" --query taskDefinition.revision --output text)" "1"
aws ecs create-service --cluster dev --service-name web --task-definition web --desired-count 3 \
	--launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" >/dev/null
aws ecs wait services-stable --cluster dev --services web && pass "services-stable"
check "running containers" "$(containers)" "3"
check "runningCount" "$(aws ecs describe-services --cluster dev --services web --query 'services[0].runningCount' --output text)" "3"
# services-stable counts RUNNING tasks; the steady state (and the
# deployment's completion) waits for every task's health check to pass.
steady_event() { [ "$(aws ecs describe-services --cluster dev --services web --query 'services[0].events[0].message' --output text)" = "(service web) has reached a steady state." ]; }
wait_for "steady-state event once the health checks pass" 60 steady_event
IP=$(aws ecs describe-tasks --cluster dev --tasks "$(aws ecs list-tasks --cluster dev --service-name web --query 'taskArns[0]' --output text)" \
	--query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
check "task answers on its own IP" "$(curl -fsS "http://$IP:8080/health")" "ok"

echo "== a killed container is replaced"
VICTIM=$(docker ps -q --filter "label=ecs-emulator.scope=$NETWORK" --filter label=com.amazonaws.ecs.container-name=web | head -1)
VICTIM_TASK=$(docker inspect -f '{{index .Config.Labels "com.amazonaws.ecs.task-arn"}}' "$VICTIM")
docker kill "$VICTIM" >/dev/null
aws ecs wait tasks-stopped --cluster dev --tasks "$VICTIM_TASK" && pass "killed task STOPPED"
check "stop code" "$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM_TASK" --query 'tasks[0].stopCode' --output text)" "EssentialContainerExited"
check "stopped reason" "$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM_TASK" --query 'tasks[0].stoppedReason' --output text)" "Essential container in task exited"
check "exit code" "$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM_TASK" --query 'tasks[0].containers[0].exitCode' --output text)" "137"
three() { [ "$(containers)" = 3 ]; }
wait_for "replacement running" 15 three
aws ecs describe-services --cluster dev --services web --query 'services[0].events[].message' --output text | grep -q "has started 1 tasks" &&
	pass "replacement event" || fail "no '(service web) has started 1 tasks' event"

echo "== scaling 3 -> 1 -> 4"
aws ecs update-service --cluster dev --service web --desired-count 1 >/dev/null
one() { [ "$(containers)" = 1 ]; }
wait_for "scaled in to 1" 30 one
STOPPED=$(aws ecs list-tasks --cluster dev --service-name web --desired-status STOPPED --query 'taskArns' --output text | tr '\t' '\n' | grep -v "$VICTIM_TASK" | head -1)
check "scale-in stop code" "$(aws ecs describe-tasks --cluster dev --tasks "$STOPPED" --query 'tasks[0].stopCode' --output text)" "ServiceSchedulerInitiated"
aws ecs describe-tasks --cluster dev --tasks "$STOPPED" --query 'tasks[0].stoppedReason' --output text | grep -q '^Scaling activity initiated by (deployment ecs-svc/[0-9]\{19\})$' &&
	pass "scale-in reason" || fail "scale-in reason is not ECS's"
aws ecs update-service --cluster dev --service web --desired-count 4 >/dev/null
aws ecs wait services-stable --cluster dev --services web && pass "stable at 4"
check "running containers" "$(containers)" "4"

echo "== a task whose image does not exist"
cat >"$WORK/missing.json" <<JSON
{"family": "missing", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "app", "image": "ecs-emulator-e2e/does-not-exist:latest"}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/missing.json" >/dev/null
MISSING=$(aws ecs run-task --cluster dev --task-definition missing --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --cluster dev --tasks "$MISSING" && pass "missing image: task STOPPED"
check "missing image: stop code" "$(aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stopCode' --output text)" "TaskFailedToStart"
aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stoppedReason' --output text | grep -q '^CannotPullContainerError: ' &&
	pass "missing image: CannotPullContainerError" || fail "missing image: reason is not CannotPullContainerError"

echo "== StopTask records why"
ONE=$(aws ecs list-tasks --cluster dev --service-name web --query 'taskArns[0]' --output text)
aws ecs stop-task --cluster dev --task "$ONE" --reason "e2e says stop" >/dev/null
aws ecs wait tasks-stopped --cluster dev --tasks "$ONE"
check "user stop code" "$(aws ecs describe-tasks --cluster dev --tasks "$ONE" --query 'tasks[0].stopCode' --output text)" "UserInitiated"
check "user stop reason" "$(aws ecs describe-tasks --cluster dev --tasks "$ONE" --query 'tasks[0].stoppedReason' --output text)" "e2e says stop"

echo "== delete --force leaves nothing running"
aws ecs delete-service --cluster dev --service web --force >/dev/null
aws ecs wait services-inactive --cluster dev --services web && pass "services-inactive"
check "web containers left" "$(containers)" "0"
nothing() { [ "$(all_containers)" = 0 ]; }
wait_for "no task containers or sandboxes left" 10 nothing

echo "== bad input gets AWS errors"
code=$(curl -s -o "$WORK/err.json" -w '%{http_code}' -X POST "$ENDPOINT/" -H 'Content-Type: application/x-amz-json-1.1' \
	-H 'X-Amz-Target: AmazonEC2ContainerServiceV20141113.CreateCluster' --data '{"clusterName": ')
check "malformed JSON status" "$code" "400"
grep -q '"__type":"SerializationException"' "$WORK/err.json" && pass "SerializationException" || fail "malformed JSON: $(cat "$WORK/err.json")"
code=$(curl -s -o "$WORK/err.json" -w '%{http_code}' -X POST "$ENDPOINT/" -H 'Content-Type: application/x-amz-json-1.1' \
	-H 'X-Amz-Target: AmazonEC2ContainerServiceV20141113.NoSuchOperation' --data '{}')
check "unknown operation status" "$code" "400"
grep -q 'UnknownOperationException' "$WORK/err.json" && pass "UnknownOperationException" || fail "unknown op: $(cat "$WORK/err.json")"
if aws ecs describe-services --cluster nope --services web 2>"$WORK/err.txt"; then fail "unknown cluster accepted"; fi
grep -q 'ClusterNotFoundException' "$WORK/err.txt" && pass "ClusterNotFoundException" || fail "unknown cluster: $(cat "$WORK/err.txt")"
if aws ecs run-task --cluster dev --task-definition web --launch-type FARGATE \
	--network-configuration 'awsvpcConfiguration={subnets=[subnet-12345678]}' 2>"$WORK/err.txt"; then fail "unknown subnet accepted"; fi
grep -q "InvalidParameterException.*The subnet ID 'subnet-12345678' does not exist (ErrorCode: InvalidSubnetID.NotFound)" "$WORK/err.txt" &&
	pass "an unknown subnet is InvalidParameterException" || fail "unknown subnet: $(cat "$WORK/err.txt")"

echo "== a restart removes what a crashed run left behind"
aws ecs run-task --cluster dev --task-definition web --launch-type FARGATE --count 2 \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" >/dev/null
two() { [ "$(containers)" = 2 ]; }
wait_for "two standalone tasks running" 30 two
kill -9 "$EMU_PID"
wait "$EMU_PID" 2>/dev/null || true
check "containers survive a crash" "$(containers)" "2"
start_emulator
wait_for "orphans removed at start" 20 nothing
BEFORE="$VPC $SUBNET1 $SUBNET2 $DEFAULT_SG"
default_network
check "the default VPC keeps its IDs across a restart" "$VPC $SUBNET1 $SUBNET2 $DEFAULT_SG" "$BEFORE"

echo "== clean shutdown"
kill -TERM "$EMU_PID"
wait "$EMU_PID" && pass "exit status 0 after SIGTERM" || fail "non-zero exit after SIGTERM"
EMU_PID=""
docker network inspect "$NETWORK" >/dev/null 2>&1 && fail "task network left behind" || pass "task network removed"

finish
