#!/usr/bin/env bash
# End-to-end check of draining as ECS users see it, with the real AWS CLI
# and real containers: a service of 4 tasks behind an ALB whose target
# group has a 30 s deregistration delay rolls to a new task definition
# (minimum 100 %, maximum 200 %). The old tasks' targets are listed as
# `draining` and the old tasks stay DEACTIVATING for the whole delay, with
# no request in flight, so the rollout takes at least 30 s (and far less
# than the 300 s default would). About 2 minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4681}
. e2e/lib.sh

DELAY=30
build_emulator
start_emulator

echo "== the default VPC's subnets, an ALB, a target group (delay ${DELAY} s), a listener"
read -r SUBNET_A SUBNET_B <<<"$(aws ec2 describe-subnets --filters Name=default-for-az,Values=true \
	--query 'sort_by(Subnets,&AvailabilityZone)[0:2].SubnetId' --output text)"
VPC=$(aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)
echo "  default VPC $VPC, subnets $SUBNET_A $SUBNET_B"
LB=$(aws elbv2 create-load-balancer --name drain-alb --subnets "$SUBNET_A" "$SUBNET_B" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
TG=$(aws elbv2 create-target-group --name drain-tg --protocol HTTP --port 8080 --vpc-id "$VPC" --target-type ip \
	--health-check-path /health --health-check-interval-seconds 5 --healthy-threshold-count 2 \
	--unhealthy-threshold-count 2 --health-check-timeout-seconds 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes "Key=deregistration_delay.timeout_seconds,Value=$DELAY" >/dev/null
aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 80 --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null

echo "== a service of 4 tasks behind it"
aws ecs create-cluster --cluster-name dev >/dev/null
taskdef() {
	cat >"$WORK/web-$1.json" <<JSON
{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}], "stopTimeout": 5,
   "environment": [{"name": "NAME", "value": "$1"}]}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/web-$1.json" --query taskDefinition.taskDefinitionArn --output text
}
V1=$(taskdef v1)
aws ecs create-service --cluster dev --service-name web --task-definition "$V1" --desired-count 4 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET_A,$SUBNET_B]}" --health-check-grace-period-seconds 10 \
	--deployment-configuration 'minimumHealthyPercent=100,maximumPercent=200' \
	--load-balancers "targetGroupArn=$TG,containerName=web,containerPort=8080" >/dev/null
targets_in() { aws elbv2 describe-target-health --target-group-arn "$TG" --query "length(TargetHealthDescriptions[?TargetHealth.State=='$1'])" --output text; }
four_healthy() { [ "$(targets_in healthy)" = 4 ]; }
wait_for "4 healthy targets" 90 four_healthy
OLD_TASKS=$(aws ecs list-tasks --cluster dev --service-name web --query 'taskArns' --output text)

echo "== roll to v2: the old targets drain for the whole ${DELAY} s"
V2=$(taskdef v2)
start=$SECONDS
aws ecs update-service --cluster dev --service web --task-definition "$V2" >/dev/null
stable_on_v2() {
	[ "$(aws ecs describe-services --cluster dev --services web \
		--query 'services[0].[length(deployments), deployments[0].taskDefinition, deployments[0].rolloutState, runningCount]' --output text)" = \
		"$(printf '1\t%s\tCOMPLETED\t4' "$V2")" ]
}
max_draining=0 first_draining="" deactivating=0
until stable_on_v2; do
	d=$(targets_in draining)
	[ "$d" -gt "$max_draining" ] && max_draining=$d
	if [ "$d" -gt 0 ] && [ -z "$first_draining" ]; then first_draining=$SECONDS; fi
	if [ -n "$first_draining" ] && [ $((SECONDS - first_draining)) -ge 10 ] && [ "$deactivating" = 0 ]; then
		# 10 s into draining, nothing is in flight: the old tasks still drain.
		# shellcheck disable=SC2086
		deactivating=$(aws ecs describe-tasks --cluster dev --tasks $OLD_TASKS --query "length(tasks[?lastStatus=='DEACTIVATING'])" --output text)
	fi
	if [ $((SECONDS - start)) -ge 240 ]; then fail "the rollout did not finish in 240 s"; break; fi
	sleep 1
done
took=$((SECONDS - start))
echo "  rollout took ${took} s; at most $max_draining targets draining at once; $deactivating old tasks DEACTIVATING 10 s into draining"
[ "$max_draining" -ge 1 ] && pass "old targets listed as draining" || fail "no target was ever listed as draining"
[ "$deactivating" -ge 1 ] && pass "old tasks DEACTIVATING 10 s into draining, with nothing in flight" || fail "no old task was DEACTIVATING 10 s into draining"
[ "$took" -ge "$DELAY" ] && pass "the rollout waited the ${DELAY} s deregistration delay (${took} s)" || fail "the rollout took ${took} s, less than the ${DELAY} s delay"
[ "$took" -lt 150 ] && pass "the rollout took far less than the 300 s default delay would (${took} s)" || fail "the rollout took ${took} s"
check "targets left after the rollout" "$(targets_in healthy)/$(targets_in draining)" "4/0"
# shellcheck disable=SC2086
check "old tasks stopped" "$(aws ecs describe-tasks --cluster dev --tasks $OLD_TASKS --query "length(tasks[?lastStatus=='STOPPED'])" --output text)" "4"

aws ecs delete-service --cluster dev --service web --force >/dev/null
aws ecs wait services-inactive --cluster dev --services web && pass "deleted"
finish
