#!/usr/bin/env bash
# End-to-end check of the awslogs log driver with the real AWS CLI and real
# containers: a task's stdout and stderr lines reach its stream
# ecs/app/<task id> within a second, the last line before the exit too;
# `aws logs get-log-events`, `aws logs tail --follow` and
# `filter-log-events --filter-pattern ERROR` show them; awslogs-create-group
# creates a group; a missing group fails the task as Fargate does; a
# container without awslogs ships nothing.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4642}
. e2e/lib.sh

build_emulator
start_emulator
default_network

taskdef() { # taskdef family group create-group command-json
	cat >"$WORK/$1.json" <<JSON
{"family": "$1", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "executionRoleArn": "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
 "containerDefinitions": [
   {"name": "app", "image": "$IMAGE", "command": $4,
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "$2", "awslogs-region": "us-east-1",
      "awslogs-stream-prefix": "ecs", "awslogs-create-group": "$3"}}},
   {"name": "sidecar", "image": "$IMAGE", "essential": false, "command": ["print", "sidecar output"]}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/$1.json" >/dev/null
}
run() { aws ecs run-task --cluster dev --task-definition "$1" --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" --query 'tasks[0].taskArn' --output text; }

aws ecs create-cluster --cluster-name dev >/dev/null
aws logs create-log-group --log-group-name /ecs/printer

echo "== a task printing to stdout and stderr, the last line just before it exits"
taskdef printer /ecs/printer false '["print", "-every", "2s", "-partial", "INFO starting", "2>ERROR disk full", "INFO working", "ERROR last words"]'
timeout 90 "$AWS_BIN" --endpoint-url "$ENDPOINT" logs tail /ecs/printer --follow --format short >"$WORK/tail.out" 2>&1 &
TAIL_PID=$!
TASK=$(run printer)
STREAM=ecs/app/${TASK##*/}
messages() { aws logs get-log-events --log-group-name /ecs/printer --log-stream-name "$STREAM" --start-from-head --query 'events[].message' --output text 2>/dev/null; }
first_line() { [ -n "$(messages)" ]; }
wait_for "the first line in $STREAM while the task runs" 30 first_line
aws ecs wait tasks-stopped --cluster dev --tasks "$TASK"
check "get-log-events, in order" "$(messages | tr '\t' '|')" "INFO starting|ERROR disk full|INFO working|ERROR last words"
# The CLI is too slow here to time the shipping; the store's ingestion
# time, against the container's own timestamp, is the shipping lag.
aws logs get-log-events --log-group-name /ecs/printer --log-stream-name "$STREAM" --start-from-head \
	--query 'events[].[ingestionTime, timestamp, message]' --output text >"$WORK/events.txt"
while IFS=$'\t' read -r ingested ts msg; do
	lag=$((ingested - ts))
	if [ "$lag" -le 1000 ]; then pass "'$msg' shipped ${lag} ms after it was printed"; else fail "'$msg' shipped ${lag} ms after it was printed"; fi
done <"$WORK/events.txt"
check "filter-log-events --filter-pattern ERROR" \
	"$(aws logs filter-log-events --log-group-name /ecs/printer --filter-pattern ERROR --query 'events[].message' --output text | tr '\t' '|')" \
	"ERROR disk full|ERROR last words"
check "streams in the group (the sidecar has no awslogs)" \
	"$(aws logs describe-log-streams --log-group-name /ecs/printer --query 'logStreams[].logStreamName' --output text)" "$STREAM"
tail_has_last() { grep -q "ERROR last words" "$WORK/tail.out"; }
wait_for "aws logs tail --follow shows the last line" 20 tail_has_last
kill "$TAIL_PID" 2>/dev/null || true
wait "$TAIL_PID" 2>/dev/null || true
check "aws logs tail --follow lines" "$(grep -c -e 'INFO starting' -e 'ERROR disk full' -e 'INFO working' -e 'ERROR last words' "$WORK/tail.out")" "4"

echo "== what Fargate refuses at registration"
sed 's/"awslogs-stream-prefix": "ecs", //' "$WORK/printer.json" >"$WORK/noprefix.json"
check "awslogs without awslogs-stream-prefix" "$(aws ecs register-task-definition --cli-input-json "file://$WORK/noprefix.json" 2>&1 | grep -o 'Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.')" \
	"Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs."

echo "== awslogs-create-group, and a missing group"
taskdef created /ecs/created true '["print", "hello"]'
taskdef missing /ecs/missing false '["print", "hello"]'
CREATED=$(run created)
MISSING=$(run missing)
aws ecs wait tasks-stopped --cluster dev --tasks "$CREATED" "$MISSING"
check "awslogs-create-group created the group and its stream" \
	"$(aws logs get-log-events --log-group-name /ecs/created --log-stream-name "ecs/app/${CREATED##*/}" --query 'events[].message' --output text)" "hello"
check "missing group: stop code" "$(aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stopCode' --output text)" "TaskFailedToStart"
check "missing group: stopped reason" "$(aws ecs describe-tasks --cluster dev --tasks "$MISSING" --query 'tasks[0].stoppedReason' --output text)" \
	"ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
check "missing group: not created" "$(aws logs describe-log-groups --log-group-name-prefix /ecs/missing --query 'length(logGroups)' --output text)" "0"

finish
