#!/usr/bin/env bash
# End-to-end check of the emulator's defences with the real AWS CLI, curl
# and real containers: a huge desiredCount is refused and the process stays
# up, a dependsOn cycle is refused, a JSON call that is not a POST matches
# no operation, and the resolver on the task network refuses a client on
# another Docker network while it answers the task network.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4672}
. e2e/lib.sh

OTHER=hardening-other-$$
other_cleanup() { docker rm -f "$OTHER-q" >/dev/null 2>&1 || true; docker network rm "$OTHER" >/dev/null 2>&1 || true; cleanup; }
trap other_cleanup EXIT

build_emulator
start_emulator
default_network

echo "== a huge desiredCount is refused and the emulator stays up"
aws ecs create-cluster --cluster-name dev >/dev/null
cat >"$WORK/web.json" <<JSON
{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}]}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/web.json" >/dev/null
if aws ecs create-service --cluster dev --service-name huge --task-definition web --desired-count 1000000000 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" >/dev/null 2>"$WORK/err.txt"; then
	fail "desiredCount 1,000,000,000 accepted"
fi
grep -q 'InvalidParameterException.*Desired count exceeds limit' "$WORK/err.txt" && pass "InvalidParameterException: Desired count exceeds limit." || fail "huge desiredCount: $(cat "$WORK/err.txt")"
kill -0 "$EMU_PID" && pass "the emulator process is still running" || fail "the emulator died"
check "health endpoint" "$(curl -s -o /dev/null -w '%{http_code}' "$ENDPOINT/_emulator/health")" "200"
check "no service was created" "$(aws ecs list-services --cluster dev --query 'length(serviceArns)' --output text)" "0"

echo "== a dependsOn cycle is refused"
cat >"$WORK/cycle.json" <<JSON
{"family": "cycle", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [
   {"name": "a", "image": "$IMAGE", "dependsOn": [{"containerName": "b", "condition": "START"}]},
   {"name": "b", "image": "$IMAGE", "dependsOn": [{"containerName": "a", "condition": "HEALTHY"}]}]}
JSON
if aws ecs register-task-definition --cli-input-json "file://$WORK/cycle.json" >/dev/null 2>"$WORK/err.txt"; then
	fail "a dependsOn cycle was registered"
fi
grep -q 'ClientException.*Container dependencies should not have a cycle' "$WORK/err.txt" && pass "ClientException: cycle" || fail "cycle: $(cat "$WORK/err.txt")"
check "no cycle family" "$(aws ecs list-task-definitions --family-prefix cycle --query 'length(taskDefinitionArns)' --output text)" "0"

echo "== only a POST is a JSON-protocol call"
code=$(curl -s -o "$WORK/err.json" -w '%{http_code}' -X GET "$ENDPOINT/" -H 'Content-Type: application/x-amz-json-1.1' \
	-H 'X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters')
check "GET with X-Amz-Target" "$code $(grep -o UnknownOperationException "$WORK/err.json")" "400 UnknownOperationException"

echo "== the task network's resolver answers the task network only"
OP=$(aws servicediscovery create-private-dns-namespace --name hard.svc --vpc "$VPC" --query OperationId --output text)
op_done() { [ "$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Status --output text)" = SUCCESS ]; }
wait_for "namespace hard.svc created" 10 op_done
GW=$(docker network inspect "$NETWORK" -f '{{range .IPAM.Config}}{{.Gateway}} {{end}}' | awk '{print $1}')
echo "  task network $NETWORK, resolver $GW:53"
# dnsquery exits 0 on NOERROR and 5 on REFUSED.
query_on() { docker run --rm --network "$1" "$IMAGE" dnsquery "${@:2}" "$GW:53" hard.svc SOA >/dev/null 2>&1 && echo 0 || echo $?; }
check "a client on the task network gets the zone" "$(query_on "$NETWORK")" "0"
docker network create "$OTHER" >/dev/null
check "a client on another Docker network: REFUSED (UDP)" "$(query_on "$OTHER")" "5"
check "a client on another Docker network: REFUSED (TCP)" "$(query_on "$OTHER" -tcp)" "5"
finish
