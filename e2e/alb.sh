#!/usr/bin/env bash
# End-to-end check of the ALB with the real AWS CLI, curl and real
# containers: the tutorial's ApiService shape (ip target group, /health
# every 15 s, healthy 2, unhealthy 3, timeout 5, deregistration delay 30)
# behind a listener on port 80; requests reach every task; a broken /health
# gets its task replaced with ECS's reason; a deploy under a bounded load
# drops nothing; a long deregistration delay holds a task with an open
# request in draining (pitfall 3); two load balancers on port 80 at once;
# and bad input gets ELBv2's error codes.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4596}
. e2e/lib.sh

build_emulator
start_emulator
default_network

echo "== load balancer, target group, listener (the tutorial's ApiService)"
LB=$(aws elbv2 create-load-balancer --name api-alb --subnets "$SUBNET1" "$SUBNET2" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
aws elbv2 wait load-balancer-available --load-balancer-arns "$LB" && pass "load-balancer-available"
TG=$(aws elbv2 create-target-group --name api-tg --protocol HTTP --port 3000 --vpc-id "$VPC" --target-type ip \
	--health-check-path /health --health-check-interval-seconds 15 --healthy-threshold-count 2 \
	--unhealthy-threshold-count 3 --health-check-timeout-seconds 5 --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=30 >/dev/null
aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 80 --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null
DNS=$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB" --query 'LoadBalancers[0].DNSName' --output text)
ADDR=$(dig @127.0.0.1 -p "$DNS_PORT" +short "$DNS")
echo "  $DNS → $ADDR"
[ -n "$ADDR" ] && pass "the DNS name resolves" || fail "$DNS does not resolve"

echo "== the api service behind it"
aws ecs create-cluster --cluster-name dev >/dev/null
taskdef() {
	cat >"$WORK/api-$1.json" <<JSON
{"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024",
 "containerDefinitions": [{"name": "api", "image": "$IMAGE", "portMappings": [{"containerPort": 3000}], "stopTimeout": 5,
   "environment": [{"name": "PORT", "value": "3000"}, {"name": "NAME", "value": "$1"}]}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/api-$1.json" --query taskDefinition.taskDefinitionArn --output text
}
V1=$(taskdef v1)
aws ecs create-service --cluster dev --service-name api --task-definition "$V1" --desired-count 3 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" --health-check-grace-period-seconds 60 \
	--load-balancers "targetGroupArn=$TG,containerName=api,containerPort=3000" >/dev/null
healthy_targets() { aws elbv2 describe-target-health --target-group-arn "$TG" --query "length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])" --output text; }
three_healthy() { [ "$(healthy_targets)" = 3 ]; }
wait_for "3 healthy targets" 60 three_healthy
aws elbv2 wait target-in-service --target-group-arn "$TG" && pass "target-in-service"
hosts=$(for _ in $(seq 1 30); do curl -fsS "http://$ADDR/" | grep -o '"hostname": *"[^"]*"'; done | sort -u | wc -l)
check "requests reach every task" "$hosts" "3"
curl -fsS "http://$ADDR/echo" | grep -q '"X-Forwarded-For"' && pass "X-Forwarded-For set" || fail "no X-Forwarded-For"

echo "== a broken /health gets its task replaced"
SICK=$(aws ecs list-tasks --cluster dev --service-name api --query 'taskArns[0]' --output text)
SICK_IP=$(aws ecs describe-tasks --cluster dev --tasks "$SICK" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
aws ecs update-service --cluster dev --service api --health-check-grace-period-seconds 0 >/dev/null
curl -fsS "http://$SICK_IP:3000/health/set?code=500" >/dev/null
aws ecs wait tasks-stopped --cluster dev --tasks "$SICK"
check "stopped reason" "$(aws ecs describe-tasks --cluster dev --tasks "$SICK" --query 'tasks[0].stoppedReason' --output text)" "Task failed ELB health checks in (target-group $TG)"
wait_for "3 healthy targets again" 90 three_healthy

echo "== a deploy under load drops nothing"
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=5 >/dev/null
V2=$(taskdef v2)
( # a bounded load: at most 3 minutes or 20,000 requests
	ok=0 bad=0 end=$((SECONDS + 180))
	while [ $SECONDS -lt $end ] && [ $((ok + bad)) -lt 20000 ] && [ ! -e "$WORK/stop-load" ]; do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/")" = 200 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	done
	echo "$ok $bad" >"$WORK/load.txt"
) &
LOAD=$!
aws ecs update-service --cluster dev --service api --task-definition "$V2" >/dev/null
on_v2() {
	[ "$(aws ecs describe-services --cluster dev --services api --query "services[0].[length(deployments),deployments[0].taskDefinition,deployments[0].rolloutState,runningCount]" --output text)" = \
		"$(printf '1\t%s\tCOMPLETED\t3' "$V2")" ]
}
wait_for "rolled out to v2" 180 on_v2
sleep 2
touch "$WORK/stop-load"
wait "$LOAD"
read -r ok bad <"$WORK/load.txt"
echo "  $ok requests answered 200 during the deploy, $bad failed"
check "failed requests during the deploy" "$bad" "0"

echo "== pitfall 3: a long deregistration delay holds a task with an open request"
# Targets drain for the whole delay (as on AWS), so the delay is long
# enough to outlast the open request and short enough for the script.
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=20 >/dev/null
aws ecs update-service --cluster dev --service api --desired-count 1 >/dev/null
one_running() { [ "$(aws ecs describe-services --cluster dev --services api --query 'services[0].runningCount' --output text)" = 1 ]; }
wait_for "scaled in to 1" 120 one_running
none_draining() { [ "$(aws elbv2 describe-target-health --target-group-arn "$TG" --query "TargetHealthDescriptions[?TargetHealth.State=='draining'] | length(@)" --output text)" = 0 ]; }
wait_for "the scaled-in targets have drained" 60 none_draining
LAST=$(aws ecs list-tasks --cluster dev --service-name api --query 'taskArns[0]' --output text)
LAST_IP=$(aws ecs describe-tasks --cluster dev --tasks "$LAST" --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text)
curl -s -o "$WORK/slow.txt" -w '%{http_code}' "http://$ADDR/sleep?d=8s" >"$WORK/slow.code" &
SLOW=$!
sleep 1
aws ecs stop-task --cluster dev --task "$LAST" >/dev/null
sleep 3
check "task with an open request" "$(aws ecs describe-tasks --cluster dev --tasks "$LAST" --query 'tasks[0].lastStatus' --output text)" "DEACTIVATING"
check "its target" "$(aws elbv2 describe-target-health --target-group-arn "$TG" --query "TargetHealthDescriptions[?TargetHealth.State=='draining'] | length(@)" --output text)" "1"
wait "$SLOW"
check "the open request completes" "$(cat "$WORK/slow.code")" "200"
aws ecs wait tasks-stopped --cluster dev --tasks "$LAST" && pass "then the task stops (its request done, the delay over)"
aws elbv2 wait target-deregistered --target-group-arn "$TG" --targets "Id=$LAST_IP,Port=3000" && pass "target-deregistered"

echo "== two load balancers on port 80 at once"
LB2=$(aws elbv2 create-load-balancer --name second-alb --subnets "$SUBNET1" "$SUBNET2" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
aws elbv2 create-listener --load-balancer-arn "$LB2" --protocol HTTP --port 80 \
	--default-actions 'Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=second}' >/dev/null
ADDR2=$(dig @127.0.0.1 -p "$DNS_PORT" +short "$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB2" --query 'LoadBalancers[0].DNSName' --output text)")
wait_for "second ALB answers" 10 curl -fsS -o /dev/null "http://$ADDR2/"
check "second ALB on port 80" "$(curl -fsS "http://$ADDR2/")" "second"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/")" = 200 ] && pass "first ALB still on port 80 ($ADDR vs $ADDR2)" || fail "first ALB lost port 80"

echo "== bad input gets ELBv2 errors"
if aws elbv2 describe-target-health --target-group-arn "${TG}0" 2>"$WORK/err.txt"; then fail "unknown target group accepted"; fi
grep -q 'TargetGroupNotFound' "$WORK/err.txt" && pass "TargetGroupNotFound" || fail "unknown target group: $(cat "$WORK/err.txt")"
if aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 80 --default-actions "Type=forward,TargetGroupArn=$TG" 2>"$WORK/err.txt"; then fail "duplicate listener accepted"; fi
grep -q 'DuplicateListener' "$WORK/err.txt" && pass "DuplicateListener" || fail "duplicate listener: $(cat "$WORK/err.txt")"
code=$(curl -s -o "$WORK/err.xml" -w '%{http_code}' -X POST "$ENDPOINT/" -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'Action=CreateTargetGroup&Version=2015-12-01&Name=x&Port=notaport')
check "malformed parameter" "$code $(grep -o '<Code>[A-Za-z]*</Code>' "$WORK/err.xml")" "400 <Code>ValidationError</Code>"
if aws ecs create-service --cluster dev --service-name orphan --task-definition "$V1" --desired-count 1 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" \
	--load-balancers "targetGroupArn=$(aws elbv2 create-target-group --name lonely --protocol HTTP --port 3000 --vpc-id "$VPC" --target-type ip --query 'TargetGroups[0].TargetGroupArn' --output text),containerName=api,containerPort=3000" 2>"$WORK/err.txt"; then
	fail "a target group without a load balancer was accepted"
fi
grep -q 'does not have an associated load balancer' "$WORK/err.txt" && pass "ECS refuses a target group without a load balancer" || fail "$(cat "$WORK/err.txt")"

aws ecs delete-service --cluster dev --service api --force >/dev/null
aws ecs wait services-inactive --cluster dev --services api && pass "deleted"
finish
