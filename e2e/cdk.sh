#!/usr/bin/env bash
# End-to-end check of examples/cdk with the real CDK CLI (from npm, pinned
# by examples/cdk/package-lock.json), the real AWS CLI, curl, dig and real
# containers: the tutorial's stack deployed with the default synthesizer
# against a fresh emulator, as a new user would (a fresh CDK_HOME, dummy
# keys, AWS_ENDPOINT_URL):
#   1. the default-VPC variant: deploy; curl through the ALB's DNS name
#      reaches api and api reaches worker.internal.svc; every resource has
#      a physical ID; an unchanged deploy changes nothing; cdk diff shows a
#      new api image, which then rolls to UPDATE_COMPLETE and serves; an
#      image that exits at once trips the circuit breaker and ends
#      UPDATE_ROLLBACK_COMPLETE with the old tasks serving; destroy leaves
#      no container, target group, load balancer or DNS name (the log
#      groups stay: DeletionPolicy Retain);
#   2. the new-VPC variant (new ec2.Vpc, Custom::VpcRestrictDefaultSG): deploy, curl, destroy;
#   3. the lookup variant against a VPC made with the AWS CLI: deploy, the
#      ALB in the public subnets and the tasks in the private ones, destroy;
#   4. cdk bootstrap: the bootstrap template deploys (CDKToolkit).
# It prints the time from ExecuteChangeSet to CREATE_COMPLETE against the
# time the ECS services took to become stable (a measurement, not a check).
# Needs node/npm, go, docker, the AWS CLI, dig and python3. About 6 minutes
# (13 on a loaded machine: the CLI's synthesis slows most).
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4594}
. e2e/lib.sh

STACK=TutorialStack
EXAMPLE=$PWD/examples/cdk

echo "== build: the emulator, the example's images, the CDK CLI"
go build -o "$WORK/emulator" ./cmd/emulator
examples/cdk/build-images.sh
# npm ci only when package-lock.json changed since the last install.
lock_sum=$(sha256sum "$EXAMPLE/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$EXAMPLE/node_modules/.e2e-lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
	(cd "$EXAMPLE" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$lock_sum" >"$EXAMPLE/node_modules/.e2e-lock-sha256"
fi
# A copy of the app, so that cdk.context.json (lookups of this run's IDs)
# and cdk.out land in $WORK, not in the example.
mkdir "$WORK/app"
cp -r "$EXAMPLE/bin" "$EXAMPLE/lib" "$EXAMPLE/cdk.json" "$EXAMPLE/package.json" "$WORK/app/"
ln -s "$EXAMPLE/node_modules" "$WORK/app/node_modules"
echo "cdk $("$WORK/app/node_modules/.bin/cdk" --version), node $(node --version)"

start_emulator
export AWS_ENDPOINT_URL=$ENDPOINT AWS_REGION=us-east-1 CDK_HOME=$WORK/cdk-home CDK_DISABLE_CLI_TELEMETRY=true
DIG="dig @127.0.0.1 -p $DNS_PORT +time=2 +tries=1 +short"

# cdk LOG ARGS...: the CDK CLI in the app's copy, its output kept in
# $WORK/LOG.log; it prints how long the CLI took, and how much of that was
# synthesis (the app run under node) by the CLI's own count.
cdk() {
	local log=$WORK/$1.log start=$SECONDS
	shift
	local rc=0
	(cd "$WORK/app" && node_modules/.bin/cdk --no-notices "$@") >"$log" 2>&1 || rc=$?
	echo "  \$ cdk $* ($((SECONDS - start)) s$(grep -o 'Synthesis time: [0-9.]*s' "$log" | sed 's/Synthesis time: /, synthesis /' | head -1))"
	[ "$rc" -eq 0 ] && return 0
	sed 's/^/    | /' "$log" | tail -25 >&2
	return $rc
}
deploy() { local log=$1; shift; cdk "$log" deploy --require-approval never "$@"; }

stack_status() { aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' --output text 2>/dev/null || echo NONE; }
stack_output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
physical_id() { # physical_id TYPE: the physical IDs of the stack's resources of one type
	aws cloudformation describe-stack-resources --stack-name "$STACK" --query "StackResources[?ResourceType=='$1'].PhysicalResourceId" --output text
}
# service_arn api|worker: the ARN of the stack's ECS service of that name.
service_arn() {
	aws cloudformation describe-stack-resources --stack-name "$STACK" --output text \
		--query "StackResources[?ResourceType=='AWS::ECS::Service' && starts_with(LogicalResourceId, '${1^}Service')].PhysicalResourceId"
}
cluster_name() { physical_id AWS::ECS::Cluster; }
# stop_here WHY: a failure the later steps cannot go on from.
stop_here() {
	fail "$1"
	finish || exit 1
}
event_count() { aws cloudformation describe-stack-events --stack-name "$STACK" --query 'length(StackEvents)' --output json; }
epoch() { date -d "$1" +%s.%N; }
seconds_between() { awk -v a="$(epoch "$1")" -v b="$(epoch "$2")" 'BEGIN { printf "%.1f", b - a }'; }

# lb_address: the load balancer's DNS name (stack output) and its address (emulator DNS).
lb_address() {
	DNS=$(stack_output LoadBalancerDnsName)
	ADDR=$($DIG "$DNS" A | head -1)
	[ -n "$ADDR" ] && pass "$DNS resolves to $ADDR" || fail "the load balancer's DNS name '$DNS' does not resolve"
}
get() { curl -fsS --max-time 5 --resolve "$DNS:80:$ADDR" "http://$DNS${1:-/}"; }
# answers N: N answers of GET / through the load balancer, one JSON a line
# ({} for a failed request). One python for all N: a python start per
# request cost seconds on a loaded machine.
answers() {
	python3 - "$1" "$DNS" "$ADDR" <<'PY'
import json, sys, urllib.request
n, host, addr = int(sys.argv[1]), sys.argv[2], sys.argv[3]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for _ in range(n):
    try:
        req = urllib.request.Request("http://%s/" % addr, headers={"Host": host})
        with opener.open(req, timeout=5) as r:
            print(json.dumps(json.load(r)))
    except Exception:
        print("{}")
PY
}
# field PATH: one value a line from JSON lines on stdin (PATH like worker.service).
field() {
	python3 -c '
import json, sys
for line in sys.stdin:
    v = json.loads(line)
    for key in sys.argv[1].split("."):
        v = v.get(key, "") if isinstance(v, dict) else ""
    print(v)' "$1"
}
api_reaches_worker() { get / 2>/dev/null | grep -q '"service": "worker"'; }

# check_serving VERSION: api answers through the ALB, from 3 tasks, all of
# VERSION, each with the worker's answer. Sets API_HOSTS.
check_serving() {
	wait_for "the ALB reaches an api task that reaches worker.internal.svc" 60 api_reaches_worker || return 0
	answers 30 >"$WORK/answers.txt"
	check "api answers of version $1" "$(field version <"$WORK/answers.txt" | sort | uniq -c | awk '{print $2 "×" $1}')" "$1×30"
	check "every answer carries the worker's" "$(field worker.service <"$WORK/answers.txt" | sort -u)" "worker"
	API_HOSTS=$(field hostname <"$WORK/answers.txt" | sort -u | tr '\n' ' ')
	check "requests reach the 3 api tasks" "$(echo "$API_HOSTS" | wc -w)" "3"
}

# check_resources: every resource of the template is in the stack, complete, with a physical ID.
check_resources() {
	local template=$WORK/app/cdk.out/$STACK.template.json want
	want=$(python3 -c "import json; print(len(json.load(open('$template'))['Resources']))")
	aws cloudformation describe-stack-resources --stack-name "$STACK" \
		--query 'StackResources[].[LogicalResourceId,ResourceType,PhysicalResourceId,ResourceStatus]' --output text >"$WORK/resources.txt"
	check "describe-stack-resources lists every resource of the template" "$(wc -l <"$WORK/resources.txt" | tr -d ' ')" "$want"
	check "resources without a physical ID" "$(awk -F'\t' '$3 == "" || $3 == "None"' "$WORK/resources.txt" | wc -l | tr -d ' ')" "0"
	check "resources not complete" "$(awk -F'\t' '$4 !~ /_COMPLETE$/' "$WORK/resources.txt" | wc -l | tr -d ' ')" "0"
}

# report_timing: ExecuteChangeSet → CREATE_COMPLETE (stack events) against
# each ECS service's creation → first steady state (ECS's own events).
report_timing() {
	local exec_at done_at cluster
	# JSON output: with text output the CLI applies --query to each page of events.
	exec_at=$(aws cloudformation describe-stack-events --stack-name "$STACK" --output json \
		--query "StackEvents[?LogicalResourceId=='$STACK' && ResourceStatus=='CREATE_IN_PROGRESS'].Timestamp | [-1]" | tr -d '"')
	done_at=$(aws cloudformation describe-stack-events --stack-name "$STACK" --output json \
		--query "StackEvents[?LogicalResourceId=='$STACK' && ResourceStatus=='CREATE_COMPLETE'].Timestamp | [0]" | tr -d '"')
	echo "  timing: ExecuteChangeSet → CREATE_COMPLETE $(seconds_between "$exec_at" "$done_at") s (the CLI's deploy took $1 s in all)"
	cluster=$(physical_id AWS::ECS::Cluster)
	# shellcheck disable=SC2046
	aws ecs describe-services --cluster "$cluster" --services $(physical_id AWS::ECS::Service) \
		--query 'services[].[serviceName, createdAt, events[?contains(message, `steady state`)] | [-1].createdAt]' --output text |
		while IFS=$'\t' read -r name created steady; do
			echo "  timing: ECS service $name stable $(seconds_between "$created" "$steady") s after its creation, $(seconds_between "$exec_at" "$steady") s after ExecuteChangeSet"
		done
}

# check_destroyed: nothing of the stack is left but its log groups
# (CLUSTER, DNS and ADDR were taken before the destroy).
check_destroyed() {
	check "stack by name after destroy" "$(stack_status)" "NONE"
	no_containers() { [ "$(all_containers)" = 0 ]; }
	wait_for "no task container left" 60 no_containers
	check "target groups left" "$(aws elbv2 describe-target-groups --query 'length(TargetGroups)' --output text)" "0"
	check "load balancers left" "$(aws elbv2 describe-load-balancers --query 'length(LoadBalancers)' --output text)" "0"
	check "the load balancer's DNS name after destroy" "$($DIG "$DNS" A)" ""
	check "worker.internal.svc after destroy" "$($DIG worker.internal.svc A)" ""
	if curl -s --max-time 2 -o /dev/null "http://$ADDR/"; then fail "$ADDR:80 still answers"; else pass "$ADDR:80 no longer listens"; fi
	check "Cloud Map namespaces left" "$(aws servicediscovery list-namespaces --query 'length(Namespaces)' --output text)" "0"
	check "the stack's cluster after destroy" "$(aws ecs describe-clusters --clusters "$CLUSTER" --query 'clusters[0].status' --output text)" "INACTIVE"
}

echo "== 1. default VPC: cdk deploy"
start=$SECONDS
deploy deploy-1 -c vpc=default && pass "cdk deploy" || stop_here "cdk deploy of the default-VPC variant (log above)"
deploy_seconds=$((SECONDS - start))
check "stack status" "$(stack_status)" "CREATE_COMPLETE"
grep -q "CheckBootstrapVersion\|BootstrapVersion" "$WORK/app/cdk.out/$STACK.template.json" && pass "the default synthesizer's template (BootstrapVersion rule)"
lb_address
check_serving v1
V1_HOSTS=$API_HOSTS
check_resources
report_timing "$deploy_seconds"
check "worker.internal.svc A records (the 2 worker tasks)" "$($DIG worker.internal.svc A | grep -c '^[0-9]' || true)" "2"
check "the A records' TTL" "$(dig @127.0.0.1 -p "$DNS_PORT" +noall +answer worker.internal.svc A | awk '{print $2}' | sort -u)" "10"

echo "== a second, unchanged cdk deploy changes nothing"
events_before=$(event_count)
deploy deploy-2 -c vpc=default && pass "cdk deploy (unchanged)" || fail "unchanged cdk deploy"
grep -q "(no changes)" "$WORK/deploy-2.log" && pass "the CLI reports no changes" || fail "the CLI did not report '(no changes)'"
check "stack status after the unchanged deploy" "$(stack_status)" "CREATE_COMPLETE"
check "stack events after the unchanged deploy" "$(event_count)" "$events_before"

echo "== a new api image: cdk diff shows it, then UPDATE_COMPLETE, the new image serving"
# cdk diff makes a read-only change set (DescribeChangeSet with property values) and deletes it.
cdk diff-v2 diff -c vpc=default -c apiImage=my-org/api:v2 && pass "cdk diff" || fail "cdk diff (log above)"
grep -q '\[+\] "Image": "my-org/api:v2"' "$WORK/diff-v2.log" && pass "the diff shows the new image" || fail "the diff does not show the new image"
grep -q 'AWS::ECS::TaskDefinition ApiTaskDef .* replace' "$WORK/diff-v2.log" && pass "the diff replaces the api task definition" ||
	fail "the diff does not replace the api task definition"
deploy deploy-v2 -c vpc=default -c apiImage=my-org/api:v2 && pass "cdk deploy apiImage=my-org/api:v2" || fail "cdk deploy of the v2 image"
check "stack status" "$(stack_status)" "UPDATE_COMPLETE"
check_serving v2
V2_HOSTS=$API_HOSTS
[ "$V2_HOSTS" != "$V1_HOSTS" ] && pass "new tasks replaced the old ones" || fail "the same api tasks serve after the image change"

echo "== an image that exits at once: the circuit breaker rolls the stack back"
if deploy deploy-broken -c vpc=default -c apiImage=my-org/api:broken; then
	fail "cdk deploy of the broken image succeeded"
else
	pass "cdk deploy of the broken image fails"
fi
check "stack status" "$(stack_status)" "UPDATE_ROLLBACK_COMPLETE"
reason=$(aws cloudformation describe-stack-events --stack-name "$STACK" \
	--query "StackEvents[?ResourceStatus=='UPDATE_FAILED'].ResourceStatusReason" --output text)
echo "  UPDATE_FAILED reasons: $reason"
echo "$reason" | grep -qi "circuit breaker" && pass "the circuit breaker's reason is in the stack events" || fail "no circuit breaker reason in the stack events"
check_serving v2
check "the old (v2) tasks still serve" "$API_HOSTS" "$V2_HOSTS"
api_image=$(aws ecs describe-task-definition --task-definition "$(aws ecs describe-services --cluster "$(cluster_name)" \
	--services "$(service_arn api)" --query 'services[0].taskDefinition' --output text)" \
	--query 'taskDefinition.containerDefinitions[0].image' --output text)
check "the api service's image after the rollback" "$api_image" "my-org/api:v2"

echo "== cdk destroy"
LOG_GROUPS=$(physical_id AWS::Logs::LogGroup)
CLUSTER=$(cluster_name)
cdk destroy-1 destroy --force && pass "cdk destroy --force" || stop_here "cdk destroy (log above)"
check_destroyed
# shellcheck disable=SC2086
check "log groups retained (DeletionPolicy Retain)" \
	"$(for g in $LOG_GROUPS; do aws logs describe-log-groups --log-group-name-prefix "$g" --query 'length(logGroups)' --output text; done | tr '\n' ' ')" "1 1 "

echo "== 2. new VPC: cdk deploy, curl, cdk destroy"
start=$SECONDS
deploy deploy-new-vpc -c vpc=new && pass "cdk deploy -c vpc=new" || stop_here "cdk deploy -c vpc=new (log above)"
deploy_seconds=$((SECONDS - start))
check "stack status" "$(stack_status)" "CREATE_COMPLETE"
lb_address
check_serving v1
check_resources
report_timing "$deploy_seconds"
NEW_VPC=$(physical_id AWS::EC2::VPC)
CLUSTER=$(cluster_name)
# The later destroys take the assembly their deploy synthesized (--app
# cdk.out) instead of running the app again: synthesis is the CLI's
# slowest part on a loaded machine, and the first destroy ran it already.
cdk destroy-new-vpc destroy --force --app cdk.out && pass "cdk destroy (new VPC)" || stop_here "cdk destroy (new VPC)"
check_destroyed
check "the stack's VPC after destroy" "$(aws ec2 describe-vpcs --filters "Name=vpc-id,Values=$NEW_VPC" --query 'length(Vpcs)' --output text)" "0"

echo "== 3. Vpc.fromLookup of a VPC made with the AWS CLI"
VPC=$(aws ec2 create-vpc --cidr-block 10.20.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=e2e-prod-vpc}]' --query Vpc.VpcId --output text)
IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)
aws ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
PUBLIC_RT=$(aws ec2 create-route-table --vpc-id "$VPC" --query RouteTable.RouteTableId --output text)
aws ec2 create-route --route-table-id "$PUBLIC_RT" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
PRIVATE_RT=$(aws ec2 create-route-table --vpc-id "$VPC" --query RouteTable.RouteTableId --output text)
subnet() { # subnet CIDR AZ ROUTE_TABLE NAME: a subnet associated with the route table
	local id
	id=$(aws ec2 create-subnet --vpc-id "$VPC" --cidr-block "$1" --availability-zone "$2" \
		--tag-specifications "ResourceType=subnet,Tags=[{Key=Name,Value=$4}]" --query Subnet.SubnetId --output text)
	aws ec2 associate-route-table --route-table-id "$3" --subnet-id "$id" >/dev/null
	echo "$id"
}
PUBLIC_SUBNETS="$(subnet 10.20.0.0/24 us-east-1a "$PUBLIC_RT" public-a) $(subnet 10.20.1.0/24 us-east-1b "$PUBLIC_RT" public-b)"
PRIVATE_SUBNETS="$(subnet 10.20.10.0/24 us-east-1a "$PRIVATE_RT" private-a) $(subnet 10.20.11.0/24 us-east-1b "$PRIVATE_RT" private-b)"
echo "  $VPC: public $PUBLIC_SUBNETS, private $PRIVATE_SUBNETS"
deploy deploy-lookup -c vpc=lookup -c vpcName=e2e-prod-vpc && pass "cdk deploy -c vpc=lookup" || stop_here "cdk deploy -c vpc=lookup (log above)"
check "stack status" "$(stack_status)" "CREATE_COMPLETE"
sorted() { tr ' \t' '\n\n' | grep . | sort | tr '\n' ' '; }
check "the ALB is in the public subnets" \
	"$(aws elbv2 describe-load-balancers --query 'LoadBalancers[0].AvailabilityZones[].SubnetId' --output text | sorted)" "$(echo "$PUBLIC_SUBNETS" | sorted)"
check "the api tasks are in the private subnets" \
	"$(aws ecs describe-services --cluster "$(cluster_name)" --services "$(service_arn api)" \
		--query 'services[0].networkConfiguration.awsvpcConfiguration.subnets' --output text | sorted)" "$(echo "$PRIVATE_SUBNETS" | sorted)"
check "the load balancer's VPC" "$(aws elbv2 describe-load-balancers --query 'LoadBalancers[0].VpcId' --output text)" "$VPC"
lb_address
check_serving v1
CLUSTER=$(cluster_name)
cdk destroy-lookup destroy --force --app cdk.out && pass "cdk destroy (lookup)" || fail "cdk destroy (lookup)"
check_destroyed
check "the looked-up VPC is still there" "$(aws ec2 describe-vpcs --vpc-ids "$VPC" --query 'length(Vpcs)' --output text)" "1"

echo "== 4. cdk bootstrap: the bootstrap template deploys over the emulator's built-in bootstrap"
ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
cdk bootstrap bootstrap "aws://$ACCOUNT/us-east-1" && pass "cdk bootstrap" || fail "cdk bootstrap (log above)"
toolkit() { aws cloudformation describe-stacks --stack-name CDKToolkit --query "$1" --output text 2>/dev/null; }
check "CDKToolkit status" "$(toolkit 'Stacks[0].StackStatus')" "CREATE_COMPLETE"
check "CDKToolkit's BucketName output" "$(toolkit "Stacks[0].Outputs[?OutputKey=='BucketName'].OutputValue")" "cdk-hnb659fds-assets-$ACCOUNT-us-east-1"
check "the bootstrap version parameter" "$(aws ssm get-parameter --name /cdk-bootstrap/hnb659fds/version --query Parameter.Value --output text)" \
	"$(toolkit "Stacks[0].Outputs[?OutputKey=='BootstrapVersion'].OutputValue")"
finish
