#!/usr/bin/env bash
# shared-bench.sh — run one of the shared benchmark scripts (../shared/bench, or $SHARED_BENCH) against this
# checkout, with the made-up network IDs they name replaced by the default VPC's.
#
# usage (from the project root): scripts/shared-bench.sh SCRIPT [ARGS...]
#   scripts/shared-bench.sh emulator-fixture.sh
#   scripts/shared-bench.sh taskstart.sh --ecs http://127.0.0.1:4800 --curl
#
# Why: the fixture and taskstart.sh were written when the emulator accepted any subnet, VPC or security-group
# ID. Its EC2 now checks them as AWS does (InvalidSubnetID.NotFound, ...), so vpc-12345678, subnet-12345678,
# subnet-87654321, subnet-bench and sg-bench are refused. The default VPC of account 000000000000 in us-east-1
# has fixed IDs (README, "The default VPC"), which take their places in a copy of the scripts; the copies
# run from a temporary directory and are removed after.
set -euo pipefail
src=${SHARED_BENCH:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bench}
[[ -d $src ]] || { echo "shared-bench.sh: no shared bench scripts at $src (set SHARED_BENCH)" >&2; exit 2; }
(($# >= 1)) || { sed -n '4,6p' "$0" >&2; exit 2; }
script=$1; shift
[[ -f $src/$script ]] || { echo "shared-bench.sh: $src/$script does not exist" >&2; exit 2; }

vpc=vpc-a8fdb1344fffb913f
subnet_a=subnet-17e62e4ca81c4f861 # us-east-1a
subnet_b=subnet-d405df728325581f2 # us-east-1b: an ALB needs two availability zones
group=sg-6d0966a7585136b8c        # the default VPC's default security group

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/." "$tmp/"
sed -i -e "s/vpc-12345678/$vpc/g" -e "s/subnet-12345678/$subnet_a/g" -e "s/subnet-87654321/$subnet_b/g" \
  -e "s/subnet-bench/$subnet_a/g" -e "s/sg-bench/$group/g" "$tmp"/*.sh
bash "$tmp/$script" "$@"
