#!/usr/bin/env bash
# End-to-end check, with the real AWS CLI and real containers, of what an
# application inside a task gets: the task metadata endpoint (v4 and v3),
# task-role credentials through the SDK's default chain, the emulator's
# AWS endpoint through AWS_ENDPOINT_URL (STS, Cloud Map DiscoverInstances),
# an internal load balancer called by its DNS name, and no credentials for
# a task without a role.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4652}
. e2e/lib.sh

build_emulator
start_emulator
default_network
NET="awsvpcConfiguration={subnets=[$SUBNET1]}"
# json FIELD: read a JSON document on stdin and print one field (a Python
# expression on the document d).
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
in_task() { docker exec "$1" /testapp "${@:2}"; }

echo "== a task with a role"
aws ecs create-cluster --cluster-name dev >/dev/null
cat >"$WORK/app.json" <<JSON
{"family": "app", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "taskRoleArn": "arn:aws:iam::000000000000:role/app-role",
 "containerDefinitions": [{"name": "app", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}],
   "environment": [{"name": "ECHO_ENV", "value": "AWS_*"}]}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/app.json" >/dev/null
TASK=$(aws ecs run-task --cluster dev --task-definition app --launch-type FARGATE --network-configuration "$NET" --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-running --cluster dev --tasks "$TASK"
IP=$(aws ecs describe-tasks --cluster dev --tasks "$TASK" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
C=$(docker ps -q --filter "label=com.amazonaws.ecs.task-arn=$TASK" --filter label=com.amazonaws.ecs.container-name=app)

echo "== task metadata endpoint"
META=$(in_task "$C" get-env ECS_CONTAINER_METADATA_URI_V4 /task)
check "v4 /task TaskARN" "$(json 'd["TaskARN"]' <<<"$META")" "$TASK"
check "v4 /task the task's IP" "$(json 'd["Containers"][0]["Networks"][0]["IPv4Addresses"][0]' <<<"$META")" "$IP"
check "v4 /task Family, Revision, LaunchType, Limits" "$(json 'd["Family"], d["Revision"], d["LaunchType"], d["Limits"]["CPU"], d["Limits"]["Memory"]' <<<"$META")" "app 1 FARGATE 0.25 512"
check "v4 container document" "$(in_task "$C" get-env ECS_CONTAINER_METADATA_URI_V4 | json 'd["Name"], d["DockerId"] == "'"$(docker inspect -f '{{.Id}}' "$C")"'"')" "app True"
check "v4 /stats has CPU and memory" "$(in_task "$C" get-env ECS_CONTAINER_METADATA_URI_V4 /stats | json '"cpu_stats" in d and "memory_stats" in d')" "True"
check "v3 /task TaskARN" "$(in_task "$C" get-env ECS_CONTAINER_METADATA_URI /task | json 'd["TaskARN"]')" "$TASK"

echo "== task-role credentials and AWS_ENDPOINT_URL, through the Go SDK's default chain"
check "GetCallerIdentity from the task" "$(in_task "$C" aws whoami | json 'd["result"]["Arn"]')" "arn:aws:sts::000000000000:assumed-role/app-role/${TASK##*/}"
OP=$(aws servicediscovery create-private-dns-namespace --name internal.svc --vpc "$VPC" --query OperationId --output text)
op_done() { [ "$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Status --output text)" = SUCCESS ]; }
wait_for "namespace operation SUCCESS" 10 op_done
NS=$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Targets.NAMESPACE --output text)
SVC=$(aws servicediscovery create-service --name worker --namespace-id "$NS" --dns-config 'DnsRecords=[{Type=A,TTL=10}]' --query Service.Id --output text)
aws servicediscovery register-instance --service-id "$SVC" --instance-id i-1 --attributes AWS_INSTANCE_IPV4=10.1.2.3 >/dev/null
check "DiscoverInstances from the task" "$(in_task "$C" aws discover internal.svc worker | json 'd["result"]["Instances"][0]["InstanceId"]')" "i-1"

echo "== a task without a role"
sed -e 's/"family": "app"/"family": "norole"/' -e '/taskRoleArn/d' "$WORK/app.json" >"$WORK/norole.json"
aws ecs register-task-definition --cli-input-json "file://$WORK/norole.json" >/dev/null
OTHER=$(aws ecs run-task --cluster dev --task-definition norole --launch-type FARGATE --network-configuration "$NET" --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-running --cluster dev --tasks "$OTHER"
OTHER_IP=$(aws ecs describe-tasks --cluster dev --tasks "$OTHER" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
check "no credential variables" "$(curl -fsS "http://$OTHER_IP:8080/" | json 'sorted(k for k in d["env"] if k.startswith("AWS_CONTAINER"))')" "[]"
check "AWS_ENDPOINT_URL set" "$(curl -fsS "http://$OTHER_IP:8080/" | json '"AWS_ENDPOINT_URL" in d["env"]')" "True"

echo "== an internal load balancer, by its DNS name, from the task"
LB=$(aws elbv2 create-load-balancer --name worker-alb --scheme internal --subnets "$SUBNET1" "$SUBNET2" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
DNS=$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB" --query 'LoadBalancers[0].DNSName' --output text)
TG=$(aws elbv2 create-target-group --name worker-tg --protocol HTTP --port 8080 --vpc-id "$VPC" --target-type ip \
	--health-check-path /health --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 8000 --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null
sed -e 's/"family": "app"/"family": "worker"/' -e '/taskRoleArn/d' -e 's/"name": "app"/"name": "worker"/' \
	-e 's/{"name": "ECHO_ENV", "value": "AWS_\*"}/{"name": "NAME", "value": "worker"}/' "$WORK/app.json" >"$WORK/worker.json"
aws ecs register-task-definition --cli-input-json "file://$WORK/worker.json" >/dev/null
aws ecs create-service --cluster dev --service-name worker --task-definition worker --desired-count 2 --launch-type FARGATE \
	--network-configuration "$NET" --load-balancers "targetGroupArn=$TG,containerName=worker,containerPort=8080" >/dev/null
aws elbv2 wait target-in-service --target-group-arn "$TG"
check "the host resolves $DNS to a loopback address" "$(dig @127.0.0.1 -p "$DNS_PORT" +short "$DNS" | cut -d. -f1)" "127"
if in_task "$C" resolve "$DNS" >"$WORK/resolved" 2>&1; then
	check "the task resolves it to a non-loopback address" "$(cut -d. -f1 "$WORK/resolved")" "169"
	check "GET http://$DNS:8000/ from the task" "$(in_task "$C" get "http://$DNS:8000/" | json 'd["name"]')" "worker"
	check "20 requests from the task" "$(in_task "$C" poll "http://$DNS:8000/" 20 50ms | json 'd["ok"], d["failed"]')" "20 0"
else
	echo "  skipped: tasks do not use the emulator's DNS (port 53 on the gateway needs root): $(cat "$WORK/resolved")"
fi

finish
