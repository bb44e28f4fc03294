#!/usr/bin/env bash
# Regenerates the fixtures in this folder from examples/cdk with the CDK
# CLI pinned there: the tutorial's stack synthesized for each VPC variant
# (lookups answered by cdk.context.json here, written by hand, so no AWS
# call is made) and the CLI's bootstrap template. Run from anywhere:
#   internal/cloudformation/testdata/cdk/synth.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
APP=$(cd "$HERE/../../../../examples/cdk" && pwd)
[ -d "$APP/node_modules" ] || (cd "$APP" && npm ci --no-audit --no-fund)

# A copy of the app, so the hand-written context never lands in examples/cdk.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$APP/bin" "$APP/lib" "$APP/cdk.json" "$APP/package.json" "$WORK/"
ln -s "$APP/node_modules" "$WORK/node_modules"
cp "$HERE/cdk.context.json" "$WORK/cdk.context.json"

# No credentials and no endpoint: synthesis must not need AWS.
export CDK_HOME="$WORK/.cdk-home" CDK_DISABLE_CLI_TELEMETRY=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
export CDK_DEFAULT_ACCOUNT=000000000000 CDK_DEFAULT_REGION=us-east-1

synth() { # synth FIXTURE CONTEXT...
	local out=$1
	shift
	(cd "$WORK" && npx cdk synth --no-notices -q -o "$WORK/out" "$@")
	cp "$WORK/out/TutorialStack.template.json" "$HERE/$out"
	echo "wrote $out"
}
synth tutorial-default-vpc.json -c vpc=default
synth tutorial-lookup.json -c vpc=lookup -c vpcName=prod-vpc
synth tutorial-new-vpc.json -c vpc=new
(cd "$WORK" && npx cdk bootstrap --show-template --no-notices >"$HERE/bootstrap.yaml")
echo "wrote bootstrap.yaml"
