#!/usr/bin/env bash
# End-to-end check of state across a kill -9, with the real AWS CLI, curl,
# dig and real containers: a service of 3 tasks behind an ALB, registered
# in Cloud Map, is killed mid-deploy; one task container is killed while
# the emulator is down; started again on the same --state-dir, the
# emulator has the same tasks (ARNs, IPs, the very same containers, none
# extra), reports the killed one STOPPED with exit code 137 and replaces
# it, finishes the deploy, and the ALB and DNS answer again.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4591}
. e2e/lib.sh
EMU_ARGS="--state-dir $WORK/state"

build_emulator
start_emulator
default_network
DIG="dig @127.0.0.1 -p $DNS_PORT +time=2 +tries=1"

echo "== ALB, Cloud Map and a service of 3 tasks"
LB=$(aws elbv2 create-load-balancer --name web-alb --subnets "$SUBNET1" "$SUBNET2" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
TG=$(aws elbv2 create-target-group --name web-tg --protocol HTTP --port 3000 --vpc-id "$VPC" --target-type ip \
	--health-check-path /health --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --healthy-threshold-count 2 \
	--query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=5 >/dev/null
aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 80 --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null
ADDR=$($DIG +short "$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB" --query 'LoadBalancers[0].DNSName' --output text)")
OP=$(aws servicediscovery create-private-dns-namespace --name restart.local --vpc "$VPC" --query OperationId --output text)
op_done() { [ "$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Status --output text)" = SUCCESS ]; }
wait_for "namespace created" 10 op_done
NS=$(aws servicediscovery get-operation --operation-id "$OP" --query Operation.Targets.NAMESPACE --output text)
REGISTRY=$(aws servicediscovery create-service --name web --namespace-id "$NS" \
	--dns-config 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=10}]' --query Service.Arn --output text)
aws ecs create-cluster --cluster-name dev >/dev/null
# taskdef NAME [STARTUP_DELAY]: v2 tasks listen only after a delay, so that
# each takes a health check round to turn healthy and the deploy stays in
# progress long enough to be killed in the middle (a task starts in a
# fraction of a second).
taskdef() {
	cat >"$WORK/web-$1.json" <<JSON
{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "portMappings": [{"containerPort": 3000}], "stopTimeout": 2,
   "environment": [{"name": "PORT", "value": "3000"}, {"name": "NAME", "value": "$1"}, {"name": "STARTUP_DELAY", "value": "${2:-0s}"}]}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/web-$1.json" --query taskDefinition.taskDefinitionArn --output text
}
V1=$(taskdef v1)
aws ecs create-service --cluster dev --service-name web --task-definition "$V1" --desired-count 3 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" \
	--deployment-configuration "minimumHealthyPercent=100,maximumPercent=134" \
	--load-balancers "targetGroupArn=$TG,containerName=web,containerPort=3000" \
	--service-registries "registryArn=$REGISTRY" >/dev/null
healthy() { [ "$(aws elbv2 describe-target-health --target-group-arn "$TG" --query "length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])" --output text)" = "$1" ]; }
wait_for "3 healthy targets" 90 healthy 3
aws ecs wait services-stable --cluster dev --services web && pass "stable before the deploy"

echo "== deploy v2, kill -9 mid-deploy"
V2=$(taskdef v2 4s)
aws ecs update-service --cluster dev --service web --task-definition "$V2" >/dev/null
four() { [ "$(aws ecs list-tasks --cluster dev --service-name web --query 'length(taskArns)' --output text)" = 4 ]; }
wait_for "the deploy started a 4th task" 30 four
# tasks_ips ARN...: "ARN IP container" of each task, sorted, whatever its status.
tasks_ips() {
	aws ecs describe-tasks --cluster dev --tasks "$@" --query \
		"tasks[].[taskArn, attachments[0].details[?name=='privateIPv4Address'].value | [0], containers[0].runtimeId]" --output text | sort
}
service_tasks() { aws ecs list-tasks --cluster dev --service-name web --query 'taskArns' --output text; }
running() { [ "$(aws ecs describe-tasks --cluster dev --tasks $(service_tasks) --query "length(tasks[?lastStatus=='RUNNING'])" --output text)" = 4 ]; }
wait_for "4 tasks RUNNING" 30 running
# The snapshot the checks compare with: the RUNNING tasks at the kill (the
# deploy may have moved on since the check above) and their containers'
# start times.
aws ecs describe-tasks --cluster dev --tasks $(service_tasks) --query "tasks[?lastStatus=='RUNNING'].taskArn" --output text | tr '\t' '\n' >"$WORK/running.txt"
tasks_ips $(cat "$WORK/running.txt") >"$WORK/before.txt"
while read -r _ _ cid; do echo "$cid $(docker inspect -f '{{.State.StartedAt}}' "$cid")"; done <"$WORK/before.txt" >"$WORK/started-before.txt"
kill -9 "$EMU_PID"
wait "$EMU_PID" 2>/dev/null || true
EMU_PID=""
read -r VICTIM_TASK _ VICTIM <"$WORK/before.txt"
docker kill "$VICTIM" >/dev/null
pass "killed the emulator and container ${VICTIM:0:12} (task ${VICTIM_TASK##*/})"
sleep 1

echo "== start again on the same state directory"
start_emulator
grep -v "$VICTIM_TASK" "$WORK/before.txt" >"$WORK/survivors.txt"
SURVIVORS=$(wc -l <"$WORK/survivors.txt" | tr -d ' ')
[ "$SURVIVORS" -ge 2 ] || fail "only $SURVIVORS tasks were RUNNING besides the victim at the kill"
# The survivors by ARN, whatever their status: the deploy goes on at once
# and may already be stopping one of them.
tasks_ips $(cut -f1 "$WORK/survivors.txt") >"$WORK/after.txt"
check "the $SURVIVORS surviving tasks keep their ARNs, IPs and containers" "$(comm -12 "$WORK/survivors.txt" "$WORK/after.txt" | wc -l | tr -d ' ')" "$SURVIVORS"
# Not restarted: each survivor's container that still exists (the deploy
# may have removed one since) started when it did before the kill.
restarted=0
while read -r cid started; do
	now=$(docker inspect -f '{{.State.StartedAt}}' "$cid" 2>/dev/null) || continue
	[ "$cid" = "$VICTIM" ] || [ "$now" = "$started" ] || restarted=$((restarted + 1))
done <"$WORK/started-before.txt"
check "surviving containers restarted (adopted instead)" "$restarted" "0"
[ "$restarted" = 0 ] && [ "$(comm -12 "$WORK/survivors.txt" "$WORK/after.txt" | wc -l | tr -d ' ')" = "$SURVIVORS" ] || {
	echo "  survivors before: $(tr '\t\n' ' ;' <"$WORK/survivors.txt")"
	echo "  the same after:   $(tr '\t\n' ' ;' <"$WORK/after.txt")"
	docker ps -a --no-trunc --filter "label=ecs-emulator.scope=$NETWORK" --format '  {{.ID}} {{.Status}}'
	grep -E 'level=(INFO|WARN|ERROR)' "$WORK/emulator.log" | tail -40 | cut -c1-300 | sed 's/^/  log: /'
}
victim_stopped() { [ "$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM_TASK" --query 'tasks[0].lastStatus' --output text)" = STOPPED ]; }
wait_for "the task killed while the emulator was down is STOPPED" 30 victim_stopped
check "its exit code" "$(aws ecs describe-tasks --cluster dev --tasks "$VICTIM_TASK" --query 'tasks[0].containers[0].exitCode' --output text)" "137"
aws ecs wait services-stable --cluster dev --services web && pass "the deploy finished after the restart"
check "rollout COMPLETED on v2" "$(aws ecs describe-services --cluster dev --services web --query 'services[0].deployments[0].[rolloutState,taskDefinition]' --output text)" "COMPLETED	$V2"
one_to_one() {
	local want have
	want=$(aws ecs list-tasks --cluster dev --service-name web --desired-status RUNNING --query 'length(taskArns)' --output text)
	have=$(docker ps -q --filter "label=ecs-emulator.scope=$NETWORK" --filter "label=com.amazonaws.ecs.container-name=web" | wc -l | tr -d ' ')
	[ "$want" = 3 ] && [ "$have" = 3 ]
}
wait_for "3 tasks and exactly 3 containers" 60 one_to_one
wait_for "3 healthy targets after the restart" 60 healthy 3
check "the ALB answers on the same address" "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/")" "200"
v2_only() { [ "$(for _ in 1 2 3 4 5 6; do curl -fsS "http://$ADDR/"; echo; done | grep -c '"v1"' || true)" = 0 ]; }
wait_for "the ALB serves only v2" 30 v2_only
three_records() { [ "$($DIG +short web.restart.local A | grep -c '^[0-9]' || true)" = 3 ]; }
wait_for "web.restart.local has 3 A records again" 30 three_records || {
	echo "  dig: $($DIG +short web.restart.local A | tr '\n' ' ')"
	echo "  instances: $(aws servicediscovery list-instances --service-id "${REGISTRY##*/}" --query 'Instances[].Attributes.AWS_INSTANCE_IPV4' --output text)"
}

aws ecs delete-service --cluster dev --service web --force >/dev/null
aws ecs wait services-inactive --cluster dev --services web && pass "service deleted"
finish
