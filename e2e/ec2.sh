#!/usr/bin/env bash
# End-to-end check of EC2 networking with the real AWS CLI, boto3 and real
# containers, as issue 9 asks: a VPC with two subnets in two zones, two
# security groups with rules, an internet gateway and a route; an ALB and
# an ECS service in them; one network interface per running task with the
# task's address, gone when the service scales to 0; an unknown subnet and
# an ALB over two VPCs refused with AWS's code and message; a VPC that
# still has subnets cannot be deleted; instances as records with their
# states.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-4602}
. e2e/lib.sh

build_emulator
start_emulator
default_network

# aws_err "description" code message-fragment command...: the command fails
# with that error code and a message containing the fragment.
aws_err() {
	local what=$1 code=$2 msg=$3
	shift 3
	if "$@" >/dev/null 2>"$WORK/err.txt"; then
		fail "$what: accepted"
		return
	fi
	if grep -qF "($code)" "$WORK/err.txt" && grep -qF -- "$msg" "$WORK/err.txt"; then
		pass "$what: $code"
	else
		fail "$what: $(cat "$WORK/err.txt")"
	fi
}

echo "== a VPC, two subnets in two zones, security groups, gateway and route"
NET=$(aws ec2 create-vpc --cidr-block 10.30.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=e2e}]' --query Vpc.VpcId --output text)
aws ec2 modify-vpc-attribute --vpc-id "$NET" --enable-dns-hostnames '{"Value": true}'
A=$(aws ec2 create-subnet --vpc-id "$NET" --cidr-block 10.30.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)
B=$(aws ec2 create-subnet --vpc-id "$NET" --cidr-block 10.30.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId --output text)
check "subnets' zones" "$(aws ec2 describe-subnets --filters "Name=vpc-id,Values=$NET" --query 'sort_by(Subnets,&AvailabilityZone)[].AvailabilityZone' --output text)" "us-east-1a	us-east-1b"
ALB_SG=$(aws ec2 create-security-group --vpc-id "$NET" --group-name alb --description "load balancer" --query GroupId --output text)
TASK_SG=$(aws ec2 create-security-group --vpc-id "$NET" --group-name task --description "tasks" --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$ALB_SG" --protocol tcp --port 80 --cidr 0.0.0.0/0 >/dev/null
aws ec2 authorize-security-group-ingress --group-id "$TASK_SG" --protocol tcp --port 8080 --source-group "$ALB_SG" >/dev/null
check "the task group's rule names the ALB's group" "$(aws ec2 describe-security-group-rules --filters "Name=group-id,Values=$TASK_SG" \
	--query 'SecurityGroupRules[?!IsEgress].ReferencedGroupInfo.GroupId' --output text)" "$ALB_SG"
IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)
aws ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$NET"
RT=$(aws ec2 create-route-table --vpc-id "$NET" --query RouteTable.RouteTableId --output text)
aws ec2 create-route --route-table-id "$RT" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
aws ec2 associate-route-table --route-table-id "$RT" --subnet-id "$A" >/dev/null
aws ec2 associate-route-table --route-table-id "$RT" --subnet-id "$B" >/dev/null
check "the public route" "$(aws ec2 describe-route-tables --route-table-ids "$RT" --query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].GatewayId" --output text)" "$IGW"

echo "== references to EC2 are checked"
aws ecs create-cluster --cluster-name dev >/dev/null
cat >"$WORK/web.json" <<JSON
{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "web", "image": "$IMAGE", "portMappings": [{"containerPort": 8080}], "stopTimeout": 2}]}
JSON
aws ecs register-task-definition --cli-input-json "file://$WORK/web.json" >/dev/null
aws_err "a service in a subnet that does not exist" InvalidParameterException \
	"Error retrieving subnet information for [subnet-0123456789abcdef0]: The subnet ID 'subnet-0123456789abcdef0' does not exist (ErrorCode: InvalidSubnetID.NotFound)" \
	aws ecs create-service --cluster dev --service-name bad --task-definition web --desired-count 1 --launch-type FARGATE \
	--network-configuration 'awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}'
aws_err "a task with a security group that does not exist" InvalidParameterException \
	"The security group 'sg-0123456789abcdef0' does not exist (ErrorCode: InvalidGroup.NotFound)" \
	aws ecs run-task --cluster dev --task-definition web --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$A],securityGroups=[sg-0123456789abcdef0]}"
aws_err "an ALB over two VPCs" InvalidConfigurationRequest "Subnets must all be in the same VPC" \
	aws elbv2 create-load-balancer --name two-vpcs --subnets "$A" "$SUBNET2"
A2=$(aws ec2 create-subnet --vpc-id "$NET" --cidr-block 10.30.3.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)
aws_err "an ALB with two subnets in one zone" InvalidConfigurationRequest \
	"A load balancer cannot be attached to multiple subnets in the same Availability Zone" \
	aws elbv2 create-load-balancer --name one-zone --subnets "$A" "$A2"
aws ec2 delete-subnet --subnet-id "$A2"
aws_err "a target group in a VPC that does not exist" ValidationError "The VPC ID 'vpc-0123456789abcdef0' is not found" \
	aws elbv2 create-target-group --name nowhere --protocol HTTP --port 80 --vpc-id vpc-0123456789abcdef0 --target-type ip

echo "== an ALB and a service of 2 tasks in the VPC"
LB=$(aws elbv2 create-load-balancer --name web --subnets "$A" "$B" --security-groups "$ALB_SG" --query 'LoadBalancers[0].LoadBalancerArn' --output text)
check "the ALB's VPC" "$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB" --query 'LoadBalancers[0].VpcId' --output text)" "$NET"
TG=$(aws elbv2 create-target-group --name web --protocol HTTP --port 8080 --vpc-id "$NET" --target-type ip \
	--health-check-path /health --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --healthy-threshold-count 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=2 >/dev/null
aws elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port 80 --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null
aws ecs create-service --cluster dev --service-name web --task-definition web --desired-count 2 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$A,$B],securityGroups=[$TASK_SG]}" \
	--load-balancers "targetGroupArn=$TG,containerName=web,containerPort=8080" >/dev/null
healthy() { [ "$(aws elbv2 describe-target-health --target-group-arn "$TG" --query "length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])" --output text)" = 2 ]; }
wait_for "2 healthy targets" 90 healthy
DNS=$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB" --query 'LoadBalancers[0].DNSName' --output text)
ADDR=$(dig @127.0.0.1 -p "$DNS_PORT" +short "$DNS")
curl -fsS "http://$ADDR/health" >/dev/null && pass "the ALB answers" || fail "http://$ADDR/health"

echo "== one network interface per running task, with the task's address"
TASKS=$(aws ecs list-tasks --cluster dev --service-name web --query 'taskArns' --output text)
# shellcheck disable=SC2086 # the task ARNs are words
TASK_IPS=$(aws ecs describe-tasks --cluster dev --tasks $TASKS --query "tasks[].attachments[0].details[?name=='privateIPv4Address'].value[]" --output text | tr '\t' '\n' | sort | xargs)
# shellcheck disable=SC2086
TASK_ENIS=$(aws ecs describe-tasks --cluster dev --tasks $TASKS --query "tasks[].attachments[0].details[?name=='networkInterfaceId'].value[]" --output text | tr '\t' '\n' | sort | xargs)
ENI_IPS=$(aws ec2 describe-network-interfaces --filters "Name=vpc-id,Values=$NET" Name=requester-id,Values=amazon-ecs \
	--query 'NetworkInterfaces[].PrivateIpAddress' --output text | tr '\t' '\n' | sort | xargs)
ENI_IDS=$(aws ec2 describe-network-interfaces --filters "Name=vpc-id,Values=$NET" Name=requester-id,Values=amazon-ecs \
	--query 'NetworkInterfaces[].NetworkInterfaceId' --output text | tr '\t' '\n' | sort | xargs)
check "two task addresses" "$(echo "$TASK_IPS" | wc -w | tr -d ' ')" "2"
check "the interfaces' addresses are the tasks'" "$ENI_IPS" "$TASK_IPS"
check "the interfaces are the tasks' attachments" "$ENI_IDS" "$TASK_ENIS"
check "the interfaces carry the task group" "$(aws ec2 describe-network-interfaces --filters "Name=group-id,Values=$TASK_SG" --query 'length(NetworkInterfaces)' --output text)" "2"
# shellcheck disable=SC2086 # the interface IDs are words
check "one interface in each of the service's subnets" "$(aws ec2 describe-network-interfaces --network-interface-ids $ENI_IDS \
	--query 'NetworkInterfaces[].SubnetId' --output text | tr '\t' '\n' | sort | xargs)" "$(printf '%s\n' "$A" "$B" | sort | xargs)"

echo "== boto3 sees the same, and gets AWS's errors"
cat >"$WORK/check.py" <<'PY'
import sys
import boto3
from botocore.exceptions import ClientError

endpoint, vpc, subnet, task_sg = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
ec2 = session.client("ec2", endpoint_url=endpoint)
ecs = session.client("ecs", endpoint_url=endpoint)
failures = 0

def check(what, got, want):
    global failures
    if got == want:
        print(f"  ok: {what} ({got})")
    else:
        failures += 1
        print(f"  FAIL: {what}: got {got!r}, want {want!r}", file=sys.stderr)

def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None

arns = ecs.list_tasks(cluster="dev", serviceName="web")["taskArns"]
tasks = ecs.describe_tasks(cluster="dev", tasks=arns)["tasks"]
by_eni = {}
for t in tasks:
    details = {d["name"]: d["value"] for d in t["attachments"][0]["details"]}
    by_eni[details["networkInterfaceId"]] = details
enis = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "requester-id", "Values": ["amazon-ecs"]}])["NetworkInterfaces"]
check("boto3: task interfaces", len(enis), 2)
for eni in enis:
    d = by_eni.get(eni["NetworkInterfaceId"], {})
    check("boto3: " + eni["NetworkInterfaceId"] + " address, MAC, DNS name and subnet",
          (eni["PrivateIpAddress"], eni["MacAddress"], eni["PrivateDnsName"], eni["SubnetId"]),
          (d.get("privateIPv4Address"), d.get("macAddress"), d.get("privateDnsName"), d.get("subnetId")))
    check("boto3: " + eni["NetworkInterfaceId"] + " groups and status", ([g["GroupId"] for g in eni["Groups"]], eni["Status"]), ([task_sg], "in-use"))

code, msg = error_of(ecs.run_task, cluster="dev", taskDefinition="web", launchType="FARGATE",
                     networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-0000000000000beef"]}})
check("boto3: run_task in an unknown subnet", (code, msg), ("InvalidParameterException",
      "Error retrieving subnet information for [subnet-0000000000000beef]: The subnet ID 'subnet-0000000000000beef' does not exist (ErrorCode: InvalidSubnetID.NotFound)"))
code, _ = error_of(ec2.delete_vpc, VpcId=vpc)
check("boto3: delete_vpc with subnets", code, "DependencyViolation")
code, _ = error_of(ec2.create_subnet, VpcId=vpc, CidrBlock="10.99.0.0/24")
check("boto3: a subnet outside its VPC", code, "InvalidSubnet.Range")
sys.exit(1 if failures else 0)
PY
if python3 "$WORK/check.py" "$ENDPOINT" "$NET" "$A" "$TASK_SG"; then pass "boto3 checks"; else fail "boto3 checks"; fi

echo "== the interfaces go when the tasks stop"
aws ecs update-service --cluster dev --service web --desired-count 0 >/dev/null
no_enis() { [ "$(aws ec2 describe-network-interfaces --filters Name=requester-id,Values=amazon-ecs --query 'length(NetworkInterfaces)' --output text)" = 0 ]; }
wait_for "no task interfaces after scaling to 0" 60 no_enis

echo "== a VPC with subnets cannot be deleted"
aws_err "delete-vpc with subnets" DependencyViolation "$NET" aws ec2 delete-vpc --vpc-id "$NET"

echo "== instances are records with their states"
AMI=$(aws ec2 describe-images --owners amazon --filters 'Name=name,Values=al2023-ami-*-x86_64' --query 'Images[0].ImageId' --output text)
INSTANCE=$(aws ec2 run-instances --image-id "$AMI" --instance-type t3.micro --subnet-id "$A" --security-group-ids "$TASK_SG" \
	--query 'Instances[0].InstanceId' --output text)
state() { aws ec2 describe-instances --instance-ids "$INSTANCE" --query 'Reservations[0].Instances[0].State.Name' --output text; }
state_is() { [ "$(state)" = "$1" ]; }
wait_for "instance running" 10 state_is running
check "the instance's subnet" "$(aws ec2 describe-instances --instance-ids "$INSTANCE" --query 'Reservations[0].Instances[0].SubnetId' --output text)" "$A"
aws ec2 stop-instances --instance-ids "$INSTANCE" >/dev/null
wait_for "instance stopped" 10 state_is stopped
aws ec2 start-instances --instance-ids "$INSTANCE" >/dev/null
wait_for "instance running again" 10 state_is running
aws ec2 terminate-instances --instance-ids "$INSTANCE" >/dev/null
wait_for "instance terminated" 10 state_is terminated
aws_err "an instance in a subnet that does not exist" InvalidSubnetID.NotFound "subnet-0123456789abcdef0" \
	aws ec2 run-instances --image-id "$AMI" --instance-type t3.micro --subnet-id subnet-0123456789abcdef0

echo "== the VPC can go once it is empty"
aws ecs delete-service --cluster dev --service web --force >/dev/null
aws elbv2 delete-load-balancer --load-balancer-arn "$LB"
aws elbv2 delete-target-group --target-group-arn "$TG"
deleted_vpc() {
	aws ec2 delete-subnet --subnet-id "$A" 2>/dev/null || true
	aws ec2 delete-subnet --subnet-id "$B" 2>/dev/null || true
	aws ec2 delete-route-table --route-table-id "$RT" 2>/dev/null || true
	aws ec2 detach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$NET" 2>/dev/null || true
	aws ec2 delete-security-group --group-id "$TASK_SG" 2>/dev/null || true
	aws ec2 delete-security-group --group-id "$ALB_SG" 2>/dev/null || true
	aws ec2 delete-vpc --vpc-id "$NET" 2>"$WORK/err.txt"
}
wait_for "delete-vpc once its subnets, groups and gateway are gone" 30 deleted_vpc

finish
