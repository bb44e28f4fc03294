#!/usr/bin/env bash
# End-to-end check of CloudFormation with the real AWS CLI and real
# containers, with hand-written YAML templates in the short-form tags
# (e2e/testdata/cfn-base.yaml, cfn-consumer.yaml): `aws cloudformation
# deploy` of a cluster, a task definition and a service registered in a
# Cloud Map private DNS namespace (a parameter with AllowedValues, a
# mapping, a condition, outputs with exports); GetTemplate gives the body
# back as sent; an unchanged deploy has no changes; an update through the
# condition; a value outside AllowedValues is refused; an explicit change
# set with the CLI waiters; a second stack imports the exports (ListImports;
# an update changing an export in use rolls back, an exporting stack in use
# cannot be deleted); delete-stack; a VPC stack (e2e/testdata/cfn-network.yaml)
# whose resources are found with aws ec2 and go with it; and bad templates
# get CloudFormation's ValidationError text. About 4 minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4593}
. e2e/lib.sh

BASE=cfn-e2e-base
CONSUMER=cfn-e2e-consumer
TEMPLATES=$PWD/e2e/testdata
DIG="dig @127.0.0.1 -p $DNS_PORT +time=2 +tries=1 +short"

build_emulator
start_emulator

status() { aws cloudformation describe-stacks --stack-name "$1" --query 'Stacks[0].StackStatus' --output text 2>/dev/null || echo NONE; }
# failed_events "stack": the reasons of its failed resources, for a FAIL message.
failed_events() {
	aws cloudformation describe-stack-events --stack-name "$1" \
		--query 'StackEvents[?ends_with(ResourceStatus, `FAILED`) || ends_with(ResourceStatus, `ROLLBACK_IN_PROGRESS`)].[LogicalResourceId,ResourceStatusReason]' \
		--output text 2>&1 | tr '\t\n' ': '
}
output() { aws cloudformation describe-stacks --stack-name "$1" --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text; }
a_records() { $DIG "$1" A | grep -c '^[0-9]' || true; }
# expect_error "description" "text" command...: the command fails and its stderr has the text.
expect_error() {
	local what=$1 text=$2
	shift 2
	if "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"; then
		fail "$what: succeeded"
	elif grep -qF -- "$text" "$WORK/err.txt"; then
		pass "$what"
	else
		fail "$what: stderr '$(tr '\n' ' ' <"$WORK/err.txt")', want '$text'"
	fi
}

echo "== the default VPC's subnets for the tasks"
VPC=$(aws ec2 describe-vpcs --filters Name=isDefault,Values=true --query 'Vpcs[0].VpcId' --output text)
SUBNETS=$(aws ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --query 'Subnets[0:2].SubnetId' --output text | tr '\t' ',')
echo "  $VPC: $SUBNETS"
base_params() { echo "Env=$1" "Image=$IMAGE" "VpcId=$VPC" "Subnets=$SUBNETS"; }

echo "== validate-template"
check "the template's parameters" \
	"$(aws cloudformation validate-template --template-body "file://$TEMPLATES/cfn-base.yaml" --query 'sort(Parameters[].ParameterKey)' --output text)" \
	"$(printf 'Env\tImage\tNamespaceName\tSubnets\tVpcId')"

echo "== aws cloudformation deploy (Env=dev)"
# shellcheck disable=SC2046
aws cloudformation deploy --template-file "$TEMPLATES/cfn-base.yaml" --stack-name "$BASE" \
	--parameter-overrides $(base_params dev) >"$WORK/deploy.txt" && pass "deploy" || { fail "deploy: $(cat "$WORK/deploy.txt")"; finish; exit 1; }
check "stack status" "$(status "$BASE")" "CREATE_COMPLETE"
check "ClusterName output (!Sub with a pseudo parameter)" "$(output "$BASE" ClusterName)" "$BASE-cluster"
check "WebName output (!Join)" "$(output "$BASE" WebName)" "web.cfn.internal"
check "the prod-only output is absent" "$(output "$BASE" AdminRegistry)" ""
aws ecs wait services-stable --cluster "$BASE-cluster" --services web && pass "services-stable"
check "running tasks (FindInMap dev)" "$(aws ecs describe-services --cluster "$BASE-cluster" --services web --query 'services[0].runningCount' --output text)" "1"
check "task definition family (!Join with AWS::StackName)" \
	"$(aws ecs describe-services --cluster "$BASE-cluster" --services web --query 'services[0].taskDefinition' --output text | sed 's/.*task-definition\///; s/:.*//')" "$BASE-web"
check "web.cfn.internal A records" "$(a_records web.cfn.internal)" "1"
# The body exactly (--output text would add a newline of its own).
aws cloudformation get-template --stack-name "$BASE" --query TemplateBody --output json |
	python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin))' >"$WORK/got.yaml"
check "GetTemplate gives the body back as sent" "$(sha256sum <"$WORK/got.yaml" | cut -c1-16)" "$(sha256sum <"$TEMPLATES/cfn-base.yaml" | cut -c1-16)"

echo "== an unchanged deploy"
# shellcheck disable=SC2046
aws cloudformation deploy --template-file "$TEMPLATES/cfn-base.yaml" --stack-name "$BASE" --no-fail-on-empty-changeset \
	--parameter-overrides $(base_params dev) >"$WORK/deploy.txt" 2>&1 || fail "unchanged deploy: $(cat "$WORK/deploy.txt")"
grep -q "No changes to deploy" "$WORK/deploy.txt" && pass "No changes to deploy" || fail "unchanged deploy said: $(cat "$WORK/deploy.txt")"
check "stack status after it" "$(status "$BASE")" "CREATE_COMPLETE"

echo "== update through the condition (Env=prod)"
# shellcheck disable=SC2046
aws cloudformation deploy --template-file "$TEMPLATES/cfn-base.yaml" --stack-name "$BASE" \
	--parameter-overrides $(base_params prod) >"$WORK/deploy.txt" && pass "deploy Env=prod" || fail "deploy Env=prod: $(cat "$WORK/deploy.txt")"
check "stack status" "$(status "$BASE")" "UPDATE_COMPLETE"
aws ecs wait services-stable --cluster "$BASE-cluster" --services web && pass "services-stable"
check "running tasks (FindInMap prod)" "$(aws ecs describe-services --cluster "$BASE-cluster" --services web --query 'services[0].runningCount' --output text)" "2"
check "task CPU (FindInMap prod)" "$(aws ecs describe-task-definition --task-definition "$BASE-web" --query taskDefinition.cpu --output text)" "512"
output "$BASE" AdminRegistry | grep -q '^arn:aws:servicediscovery:' && pass "the prod-only resource and output exist" || fail "no AdminRegistry output"
two_records() { [ "$(a_records web.cfn.internal)" = 2 ]; }
wait_for "web.cfn.internal has 2 A records" 30 two_records

echo "== a value outside AllowedValues"
# shellcheck disable=SC2046
expect_error "Env=staging refused" "Parameter 'Env' must be one of AllowedValues" \
	aws cloudformation deploy --template-file "$TEMPLATES/cfn-base.yaml" --stack-name "$BASE" --parameter-overrides $(base_params staging)
check "stack status after the refused update" "$(status "$BASE")" "UPDATE_COMPLETE"

echo "== an explicit change set (Env=dev) with the waiters"
aws cloudformation create-change-set --stack-name "$BASE" --change-set-name back-to-dev --use-previous-template \
	--parameters ParameterKey=Env,ParameterValue=dev ParameterKey=Image,UsePreviousValue=true ParameterKey=VpcId,UsePreviousValue=true \
	ParameterKey=Subnets,UsePreviousValue=true ParameterKey=NamespaceName,UsePreviousValue=true >/dev/null
aws cloudformation wait change-set-create-complete --stack-name "$BASE" --change-set-name back-to-dev && pass "change-set-create-complete"
check "the change set's changes" \
	"$(aws cloudformation describe-change-set --stack-name "$BASE" --change-set-name back-to-dev \
		--query 'sort_by(Changes, &ResourceChange.LogicalResourceId)[].[ResourceChange.LogicalResourceId,ResourceChange.Action]' --output text | tr '\t\n' ':,')" \
	"AdminDiscovery:Remove,Cluster:Modify,Service:Modify,TaskDefinition:Modify,"
aws cloudformation execute-change-set --stack-name "$BASE" --change-set-name back-to-dev
aws cloudformation wait stack-update-complete --stack-name "$BASE" && pass "stack-update-complete" || fail "update: $(status "$BASE"): $(failed_events "$BASE")"
check "the prod-only output is gone" "$(output "$BASE" AdminRegistry)" ""

echo "== a second stack imports the exports (create-stack and its waiter)"
aws cloudformation create-stack --stack-name "$CONSUMER" --template-body "file://$TEMPLATES/cfn-consumer.yaml" \
	--parameters "ParameterKey=BaseStack,ParameterValue=$BASE" "ParameterKey=Subnets,ParameterValue=\"$SUBNETS\"" >/dev/null
aws cloudformation wait stack-create-complete --stack-name "$CONSUMER" && pass "stack-create-complete" || fail "consumer: $(status "$CONSUMER")"
check "the imported cluster (!Select/!Split of !GetAtt)" "$(output "$CONSUMER" ImportedCluster)" "$BASE-cluster"
check "list-imports" "$(aws cloudformation list-imports --export-name "$BASE-ClusterName" --query 'Imports' --output text)" "$CONSUMER"
check "list-exports" "$(aws cloudformation list-exports --query "sort(Exports[?ExportingStackId!=null].Name)" --output text)" \
	"$(printf '%s\t%s' "$BASE-ClusterName" "$BASE-TaskDefinition")"
check "the consumer's service in the base cluster" \
	"$(aws ecs describe-services --cluster "$BASE-cluster" --services consumer --query 'services[0].status' --output text)" "ACTIVE"
expect_error "an update with no changes" "No updates are to be performed." \
	aws cloudformation update-stack --stack-name "$CONSUMER" --use-previous-template \
	--parameters ParameterKey=BaseStack,UsePreviousValue=true ParameterKey=Subnets,UsePreviousValue=true

echo "== an update that changes an export in use is rolled back"
before=$(aws cloudformation list-exports --query "Exports[?Name=='$BASE-TaskDefinition'].Value" --output text)
# shellcheck disable=SC2046
aws cloudformation deploy --template-file "$TEMPLATES/cfn-base.yaml" --stack-name "$BASE" \
	--parameter-overrides $(base_params prod) >"$WORK/deploy.txt" 2>&1 && fail "deploy Env=prod succeeded with its export in use" || pass "deploy Env=prod refused"
check "stack status" "$(status "$BASE")" "UPDATE_ROLLBACK_COMPLETE"
reasons=$(failed_events "$BASE")
echo "$reasons" | grep -qF "Cannot update export $BASE-TaskDefinition as it is in use by $CONSUMER" &&
	pass "the reason names the export and its importer" || fail "reasons: $reasons"
check "the export keeps its value" "$(aws cloudformation list-exports --query "Exports[?Name=='$BASE-TaskDefinition'].Value" --output text)" "$before"
check "the service keeps its task definition" \
	"$(aws ecs describe-services --cluster "$BASE-cluster" --services web --query 'services[0].taskDefinition' --output text)" "$before"

echo "== an exporting stack in use cannot be deleted"
# The refusal may come as the DeleteStack error or as DELETE_FAILED with the
# reason (then only another delete is allowed): the text is looked for in both.
reason=$( { aws cloudformation delete-stack --stack-name "$BASE" 2>&1 || true
	aws cloudformation wait stack-delete-complete --stack-name "$BASE" 2>&1 || true
	aws cloudformation describe-stacks --stack-name "$BASE" --query 'Stacks[0].StackStatusReason' --output text 2>&1 || true
	aws cloudformation describe-stack-events --stack-name "$BASE" --query 'StackEvents[0:5].ResourceStatusReason' --output text 2>&1 || true; })
echo "$reason" | grep -q "cannot be deleted as it is in use by $CONSUMER" && pass "Export ... cannot be deleted as it is in use by $CONSUMER" ||
	fail "deleting an exporting stack in use: $reason"
aws ecs describe-clusters --clusters "$BASE-cluster" --query 'clusters[0].status' --output text | grep -qx ACTIVE &&
	pass "the base cluster is still there" || fail "the base cluster was deleted"

echo "== delete-stack and its waiter"
aws cloudformation delete-stack --stack-name "$CONSUMER"
aws cloudformation wait stack-delete-complete --stack-name "$CONSUMER" && pass "consumer deleted"
aws cloudformation delete-stack --stack-name "$BASE"
aws cloudformation wait stack-delete-complete --stack-name "$BASE" && pass "base deleted"
expect_error "describe-stacks by name after delete" "Stack with id $BASE does not exist" aws cloudformation describe-stacks --stack-name "$BASE"
check "the cluster after delete" "$(aws ecs describe-clusters --clusters "$BASE-cluster" --query 'clusters[0].status' --output text)" "INACTIVE"
check "namespaces after delete" "$(aws servicediscovery list-namespaces --query 'length(Namespaces)' --output text)" "0"
no_containers() { [ "$(all_containers)" = 0 ]; }
wait_for "no task container left" 60 no_containers
check "exports after delete" "$(aws cloudformation list-exports --query 'length(Exports)' --output text)" "0"

echo "== a VPC stack (EC2 resources; their physical IDs found with aws ec2)"
NET=cfn-e2e-network
aws cloudformation deploy --template-file "$TEMPLATES/cfn-network.yaml" --stack-name "$NET" >"$WORK/deploy.txt" &&
	pass "deploy" || fail "network deploy: $(cat "$WORK/deploy.txt") $(failed_events "$NET")"
physical() { aws cloudformation describe-stack-resource --stack-name "$NET" --logical-resource-id "$1" --query StackResourceDetail.PhysicalResourceId --output text; }
NET_VPC=$(physical Vpc)
check "the VPC output is its physical ID" "$(output "$NET" VpcId)" "$NET_VPC"
check "the VPC (Name tag by !Sub)" "$(aws ec2 describe-vpcs --vpc-ids "$NET_VPC" --query "Vpcs[0].[CidrBlock,Tags[?Key=='Name'].Value|[0]]" --output text)" \
	"$(printf '10.20.0.0/16\t%s/Vpc' "$NET")"
check "the subnets (!Cidr, !GetAZs)" \
	"$(aws ec2 describe-subnets --subnet-ids "$(physical PublicSubnet)" "$(physical PrivateSubnet)" --query 'sort_by(Subnets, &CidrBlock)[].[CidrBlock,AvailabilityZone]' --output text | tr '\t\n' ' ;')" \
	"10.20.0.0/24 us-east-1a;10.20.1.0/24 us-east-1b;"
check "the internet gateway is attached" \
	"$(aws ec2 describe-internet-gateways --internet-gateway-ids "$(physical Igw)" --query 'InternetGateways[0].Attachments[0].VpcId' --output text)" "$NET_VPC"
check "the private subnet's default route goes to the NAT gateway" \
	"$(aws ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$(physical PrivateSubnet)" \
		--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].NatGatewayId" --output text)" "$(physical Nat)"
check "the NAT gateway is available" "$(aws ec2 describe-nat-gateways --nat-gateway-ids "$(physical Nat)" --query 'NatGateways[0].State' --output text)" "available"
check "the Elastic IP is the NAT gateway's" \
	"$(aws ec2 describe-addresses --public-ips "$(output "$NET" NatIp)" --query 'Addresses[0].NetworkInterfaceId' --output text | cut -c1-4)" "eni-"
check "the security group's inline rule" \
	"$(aws ec2 describe-security-groups --group-ids "$(physical WebSg)" --query 'SecurityGroups[0].IpPermissions[0].[FromPort,IpRanges[0].Description]' --output text)" \
	"$(printf '80\thttp')"
aws cloudformation delete-stack --stack-name "$NET"
aws cloudformation wait stack-delete-complete --stack-name "$NET" && pass "network stack deleted" || fail "network delete: $(failed_events "$NET")"
expect_error "the VPC is gone" "InvalidVpcID.NotFound" aws ec2 describe-vpcs --vpc-ids "$NET_VPC"

echo "== bad templates get CloudFormation's ValidationError"
printf 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n   Properties: {\n' >"$WORK/bad-yaml.yaml"
expect_error "malformed YAML" "Template format error: YAML not well-formed." \
	aws cloudformation validate-template --template-body "file://$WORK/bad-yaml.yaml"
printf 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: nothing\n' >"$WORK/no-resources.yaml"
expect_error "no Resources" "Template format error: At least one Resources member must be defined." \
	aws cloudformation validate-template --template-body "file://$WORK/no-resources.yaml"
printf 'Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref Nope\n' >"$WORK/unresolved.yaml"
expect_error "a Ref to nothing" "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template" \
	aws cloudformation validate-template --template-body "file://$WORK/unresolved.yaml"
grep -q "ValidationError" "$WORK/err.txt" && pass "the error code is ValidationError" || fail "error code: $(cat "$WORK/err.txt")"
expect_error "deploy of a bad template" "Template format error" \
	aws cloudformation deploy --template-file "$WORK/unresolved.yaml" --stack-name cfn-e2e-bad
check "no stack is left by a bad template" "$(status cfn-e2e-bad)" "NONE"
finish
