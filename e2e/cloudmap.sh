#!/usr/bin/env bash
# End-to-end check of Cloud Map with the real AWS CLI, dig and real
# containers: the tutorial's worker service registered in the private
# namespace internal.svc (TTL 10) answers A and SRV queries from the host,
# is reached by name from inside a task container, follows scaling and
# stopping, and bad requests and bad DNS packets get errors, not crashes.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4597}
. e2e/lib.sh

build_emulator
start_emulator
default_network
DIG="dig @127.0.0.1 -p $DNS_PORT +time=2 +tries=1"

echo "== namespace and service, as the tutorial's stack creates them"
OP=$(aws servicediscovery create-private-dns-namespace --name internal.svc --vpc "$VPC" --query OperationId --output text)
op_done() { [ "$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Status --output text)" = SUCCESS ]; }
wait_for "namespace operation SUCCESS" 10 op_done
NS=$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Targets.NAMESPACE --output text)
REGISTRY=$(aws servicediscovery create-service --name worker --namespace-id "$NS" \
	--dns-config 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=10},{Type=SRV,TTL=10}]' --query Service.Arn --output text)

echo "== worker service with serviceRegistries"
aws ecs create-cluster --cluster-name dev >/dev/null
cat >"$WORK/worker.json" <<JSON
{"family": "worker", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "worker", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}],
   "environment": [{"name": "NAME", "value": "worker"}]}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/worker.json" >/dev/null
aws ecs create-service --cluster dev --service-name worker --task-definition worker --desired-count 2 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" \
	--service-registries "registryArn=$REGISTRY,containerName=worker,containerPort=8080" >/dev/null
records() { $DIG +short worker.internal.svc A | grep -c '^[0-9]' || true; }
two() { [ "$(records)" = 2 ]; }
wait_for "worker.internal.svc has 2 A records" 60 two
check "A record TTL" "$($DIG +noall +answer worker.internal.svc A | awk '{print $2}' | sort -u)" "10"
check "SRV answers" "$($DIG +short worker.internal.svc SRV | grep -c '^1 1 8080 [0-9a-f]\{32\}\.worker\.internal\.svc\.$')" "2"
check "SRV targets' addresses in the additional section" "$($DIG +noall +additional worker.internal.svc SRV | grep -c 'IN[[:space:]]A[[:space:]]')" "2"
check "NODATA for AAAA" "$($DIG worker.internal.svc AAAA | grep -o 'status: [A-Z]*' ) $($DIG +noall +authority worker.internal.svc AAAA | grep -c SOA)" "status: NOERROR 1"
check "NXDOMAIN inside the namespace" "$($DIG nothing.internal.svc A | grep -o 'status: [A-Z]*')" "status: NXDOMAIN"

echo "== from inside a task container, by name"
cat >"$WORK/api.json" <<JSON
{"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "api", "image": "$IMAGE", "command": ["get", "http://worker.internal.svc:8080/"]}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/api.json" >/dev/null
API=$(aws ecs run-task --cluster dev --task-definition api --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --cluster dev --tasks "$API"
check "api → http://worker.internal.svc:8080 exit code" "$(aws ecs describe-tasks --cluster dev --tasks "$API" --query 'tasks[0].containers[0].exitCode' --output text)" "0"

echo "== scaling and stopping change the answers"
aws ecs update-service --cluster dev --service worker --desired-count 3 >/dev/null
three() { [ "$(records)" = 3 ]; }
wait_for "3 A records after scaling to 3" 30 three
VICTIM=$(aws ecs list-tasks --cluster dev --service-name worker --query 'taskArns[0]' --output text)
VICTIM_IP=$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
aws ecs stop-task --cluster dev --task "$VICTIM" >/dev/null
gone() { ! $DIG +short worker.internal.svc A | grep -qx "$VICTIM_IP"; }
wait_for "a stopped task's record is gone" 10 gone

echo "== DiscoverInstances"
if grep -q 'data-localhost' /etc/hosts 2>/dev/null || { [ -w /etc/hosts ] && echo '127.0.0.1 data-localhost' >>/etc/hosts; }; then
	# The stopped task's replacement registers once it is healthy.
	discovered() { [ "$("$AWS_BIN" --endpoint-url "http://localhost:$PORT" servicediscovery discover-instances \
		--namespace-name internal.svc --service-name worker --query 'length(Instances)' --output text)" = 3 ]; }
	wait_for "discover-instances finds the 3 tasks" 30 discovered
else
	echo "  skipped: the CLI sends DiscoverInstances to data-localhost, which /etc/hosts does not name"
fi

echo "== bad input"
code=$(curl -s -o "$WORK/err.json" -w '%{http_code}' -X POST "$ENDPOINT/" -H 'Content-Type: application/x-amz-json-1.1' \
	-H 'X-Amz-Target: Route53AutoNaming_v20170314.CreateService' --data '{"Name": [')
check "malformed Cloud Map request" "$code $(grep -o SerializationException "$WORK/err.json")" "400 SerializationException"
if aws servicediscovery get-namespace --id ns-doesnotexist0000 2>"$WORK/err.txt"; then fail "unknown namespace accepted"; fi
grep -q NamespaceNotFound "$WORK/err.txt" && pass "NamespaceNotFound" || fail "unknown namespace: $(cat "$WORK/err.txt")"
printf '\x12\x34garbage' >"/dev/udp/127.0.0.1/$DNS_PORT" || true
printf '\x00\x05\x00\x00\x00' >"/dev/udp/127.0.0.1/$DNS_PORT" || true
check "DNS still answers after malformed packets" "$(records)" "3"

aws ecs delete-service --cluster dev --service worker --force >/dev/null
aws ecs wait services-inactive --cluster dev --services worker && pass "worker deleted"
none() { [ "$(records)" = 0 ]; }
wait_for "no records left" 10 none
finish
