#!/usr/bin/env bash
# End-to-end check of rolling deployments with the real AWS CLI: the
# tutorial's 4-task service with minimumHealthyPercent 50 / maximumPercent
# 150 rolls to a new revision while the script samples the containers and
# the tasks' health (never more than 6 task containers, never fewer than 2
# healthy tasks); then a rollout to an image that exits at once trips the
# circuit breaker and is rolled back.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4598}
. e2e/lib.sh

build_emulator
start_emulator
default_network

taskdef() { # taskdef <family> <NAME env> [extra env json]
	cat >"$WORK/$1.json" <<JSON
{"family": "$1", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}],
   "environment": [{"name": "NAME", "value": "$2"}${3:-}],
   "healthCheck": {"command": ["CMD", "/testapp", "healthcheck"], "interval": 5, "timeout": 2, "retries": 2}}]}
JSON
	aws ecs register-task-definition --cli-input-json "file://$WORK/$1.json" --query taskDefinition.taskDefinitionArn --output text
}

# healthy_tasks counts the service's tasks that are RUNNING, wanted and HEALTHY.
healthy_tasks() {
	local arns
	arns=$(aws ecs list-tasks --cluster dev --service-name "$1" --query 'taskArns' --output text)
	[ -z "$arns" ] && { echo 0; return; }
	# shellcheck disable=SC2086
	aws ecs describe-tasks --cluster dev --tasks $arns \
		--query "length(tasks[?lastStatus=='RUNNING' && desiredStatus=='RUNNING' && healthStatus=='HEALTHY'])" --output text
}

stable_on() { # stable_on <service> <task definition ARN>
	[ "$(aws ecs describe-services --cluster dev --services "$1" \
		--query "services[0].[length(deployments), deployments[0].rolloutState, deployments[0].taskDefinition, runningCount]" --output text)" = \
		"$(printf '1\tCOMPLETED\t%s\t4' "$2")" ]
}

echo "== 4 tasks, minimumHealthyPercent 50, maximumPercent 150"
aws ecs create-cluster --cluster-name dev >/dev/null
V1=$(taskdef web v1)
aws ecs create-service --cluster dev --service-name web --task-definition "$V1" --desired-count 4 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET1]}" \
	--deployment-configuration 'minimumHealthyPercent=50,maximumPercent=150' >/dev/null
wait_for "stable on v1" 90 stable_on web "$V1"
V2=$(taskdef web v2)

# The engine is sampled every 0.2 s in the background for the maximum.
(
	end=$((SECONDS + 120))
	while [ $SECONDS -lt $end ] && [ ! -e "$WORK/stop-sampling" ]; do
		docker ps -q --filter "label=ecs-emulator.scope=$NETWORK" --filter label=com.amazonaws.ecs.container-name=web | wc -l
		sleep 0.2
	done >"$WORK/containers.txt"
) &
SAMPLER=$!
aws ecs update-service --cluster dev --service web --task-definition "$V2" >/dev/null
min_healthy=99
deadline=$((SECONDS + 120))
until stable_on web "$V2"; do
	h=$(healthy_tasks web)
	[ "$h" -lt "$min_healthy" ] && min_healthy=$h
	if [ $SECONDS -ge $deadline ]; then fail "the rollout to v2 did not finish in 120 s"; break; fi
done
touch "$WORK/stop-sampling"
wait "$SAMPLER"
max_containers=$(sort -n "$WORK/containers.txt" | tail -1)
echo "  $(wc -l <"$WORK/containers.txt") container samples: at most $max_containers; health samples: at least $min_healthy healthy"
[ "$max_containers" -le 6 ] && pass "never more than 6 task containers ($max_containers)" || fail "$max_containers task containers at once (maximumPercent 150 allows 6)"
[ "$min_healthy" -ge 2 ] && pass "never fewer than 2 healthy tasks ($min_healthy)" || fail "$min_healthy healthy tasks at one point (minimumHealthyPercent 50 needs 2)"
[ "$max_containers" -ge 5 ] && pass "the rollout used the room above desired" || fail "at most $max_containers containers: the rollout never went above 4"

echo "== a broken image trips the circuit breaker and is rolled back"
aws ecs update-service --cluster dev --service web \
	--deployment-configuration 'minimumHealthyPercent=100,maximumPercent=200,deploymentCircuitBreaker={enable=true,rollback=true}' >/dev/null
BROKEN=$(taskdef web broken ', {"name": "EXIT_AFTER", "value": "0"}, {"name": "EXIT_CODE", "value": "1"}')
aws ecs update-service --cluster dev --service web --task-definition "$BROKEN" >/dev/null
rolled_back() { aws ecs describe-services --cluster dev --services web --query 'services[0].events[].message' --output text | grep -q 'rolling back to deployment'; }
wait_for "circuit breaker tripped" 120 rolled_back
wait_for "stable on v2 again" 120 stable_on web "$V2"
aws ecs describe-services --cluster dev --services web --query 'services[0].events[].message' --output text | tr '\t' '\n' |
	grep -q '^(service web) (deployment ecs-svc/[0-9]\{19\}) deployment failed: tasks failed to start\.$' &&
	pass "deployment failed event" || fail "no 'deployment failed: tasks failed to start.' event"
# AWS CLI 2.9 predates ListServiceDeployments; the Go tests check that history.
check "rolled-back deployment reason" "$(aws ecs describe-services --cluster dev --services web --query 'services[0].deployments[0].rolloutStateReason' --output text | sed 's/ecs-svc\/[0-9]*/ecs-svc\/N/')" "ECS deployment ecs-svc/N completed."

aws ecs delete-service --cluster dev --service web --force >/dev/null
aws ecs wait services-inactive --cluster dev --services web && pass "deleted"
finish
