# Shared helpers of the end-to-end scripts: build and start the emulator
# on its own port and Docker network, call the real AWS CLI, count checks,
# and clean up everything on exit. Source it; set PORT first if you like.
cd "$(dirname "$0")/.."
PORT=${PORT:-4599}
NETWORK=ecs-emulator-e2e-$$
DNS_PORT=${DNS_PORT:-$((PORT + 1000))}
ENDPOINT=http://127.0.0.1:$PORT
AWS_BIN=${AWS_BIN:-$(command -v /usr/bin/aws || command -v aws)}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
WORK=$(mktemp -d)
EMU_PID=""
failures=0
passes=0

aws() { "$AWS_BIN" --endpoint-url "$ENDPOINT" "$@"; }
pass() { passes=$((passes + 1)); echo "  ok: $*"; }
fail() { failures=$((failures + 1)); echo "  FAIL: $*" >&2; }
check() { # check "description" actual expected
	if [ "$2" = "$3" ]; then pass "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi
}
containers() { docker ps -q --filter "label=ecs-emulator.scope=$NETWORK" --filter "label=com.amazonaws.ecs.container-name=${1:-web}" | wc -l | tr -d ' '; }
# all_containers: task containers and sandboxes, not the spare sandbox kept started for the next task
# (it keeps its spare name until a task takes it; shutdown removes it).
all_containers() {
	docker ps -a --format '{{.Names}}' --filter "label=ecs-emulator.scope=$NETWORK" |
		grep -Evxc -- "$NETWORK-spare-[0-9a-f]{12}" || true
}

# Load balancer addresses of their own (127.0.<20 + PORT % 200>.0/24), so
# that scripts can run side by side (.ci/run runs a few at once).
ALB_ADDRESSES=${ALB_ADDRESSES:-127.0.$((20 + PORT % 200)).0/24}

# ready_lines counts the emulator's "ready" lines (several after restarts).
ready_lines() { cat "$WORK/emulator.log" 2>/dev/null | grep -c 'msg="emulator ready"' || true; }

start_emulator() {
	"$WORK/emulator" --listen "127.0.0.1:$PORT" --docker-network "$NETWORK" --dns-listen "127.0.0.1:$DNS_PORT" \
		--alb-addresses "$ALB_ADDRESSES" --log-level debug ${EMU_ARGS:-} >>"$WORK/emulator.log" 2>&1 &
	EMU_PID=$!
	local ready_before
	ready_before=$(ready_lines)
	for _ in $(seq 1 200); do
		# Ours must have said it is ready: with the port taken (another run
		# of the same script), another emulator would answer the health check.
		kill -0 "$EMU_PID" 2>/dev/null || break
		[ "$(ready_lines)" -gt "$ready_before" ] && curl -fsS "$ENDPOINT/_emulator/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "emulator did not start on port $PORT (another run of this script? set E2E_PORT); log:" >&2
	cat "$WORK/emulator.log" >&2
	exit 1
}

cleanup() {
	[ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null && wait "$EMU_PID" 2>/dev/null || true
	docker ps -aq --filter "label=ecs-emulator.scope=$NETWORK" | xargs -r docker rm -f >/dev/null 2>&1 || true
	# The task network and the load balancers' address networks
	# ($NETWORK-addr-*), which an emulator that keeps its containers
	# (--state-dir) leaves for the next start.
	docker network ls -q --filter "name=^$NETWORK(-addr-.*)?\$" | xargs -r docker network rm >/dev/null 2>&1 || true
	if [ "$failures" -gt 0 ]; then
		echo "--- emulator log (last 60 lines) ---" >&2
		tail -60 "$WORK/emulator.log" >&2 || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# default_network looks up the region's default VPC as a new AWS account
# has it, the way a user would: VPC, its default subnets in zone order
# (SUBNET1, SUBNET2) and its default security group (DEFAULT_SG).
default_network() {
	VPC=$(aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)
	read -r SUBNET1 SUBNET2 _ <<<"$(aws ec2 describe-subnets --filters Name=default-for-az,Values=true \
		--query 'sort_by(Subnets,&AvailabilityZone)[].SubnetId' --output text)"
	DEFAULT_SG=$(aws ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC" Name=group-name,Values=default \
		--query 'SecurityGroups[0].GroupId' --output text)
	echo "  default VPC $VPC, subnets $SUBNET1 $SUBNET2, group $DEFAULT_SG"
}

# wait_for "description" seconds command...: poll until the command succeeds.
wait_for() {
	local what=$1 limit=$2
	shift 2
	local deadline=$((SECONDS + limit))
	until "$@"; do
		if [ $SECONDS -ge $deadline ]; then
			fail "$what (not within ${limit}s)"
			return 1
		fi
		sleep 0.5
	done
	pass "$what"
}


# build_emulator builds the emulator and the test app image; it sets IMAGE.
build_emulator() {
	echo "== build"
	go build -o "$WORK/emulator" ./cmd/emulator
	IMAGE=$(scripts/build-testapp-image.sh ecs-emulator-testapp:latest | tail -1)
	echo "image $IMAGE, aws $("$AWS_BIN" --version 2>&1)"
}

# finish prints the summary line and fails when a check failed.
finish() {
	echo "$(basename "$0" .sh): $passes passed, $failures failed"
	[ "$failures" -eq 0 ]
}
