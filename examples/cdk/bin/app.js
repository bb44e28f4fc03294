#!/usr/bin/env node
// The CDK app: one stack, the tutorial's, in the environment the CLI
// resolved (CDK_DEFAULT_ACCOUNT/REGION; against the emulator that is
// 000000000000/us-east-1). The VPC variant and the api image come from
// context, so one app covers every scenario of e2e/cdk.sh:
//   -c vpc=default                      Vpc.fromLookup({ isDefault: true }) (the default)
//   -c vpc=lookup -c vpcName=prod-vpc   Vpc.fromLookup({ vpcName })
//   -c vpc=new                          new ec2.Vpc (2 AZs, 1 NAT gateway)
//   -c apiImage=my-org/api:v2           another api image (update and rollback scenarios)
const cdk = require('aws-cdk-lib');
const { TutorialStack } = require('../lib/tutorial-stack');

const app = new cdk.App();
const context = (key, fallback) => app.node.tryGetContext(key) ?? fallback;

new TutorialStack(app, context('stackName', 'TutorialStack'), {
  // Lookups need a concrete environment; outside the CLI (a bare
  // `node bin/app.js`) fall back to the emulator's account and region.
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT ?? '000000000000',
    region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
  },
  vpcVariant: context('vpc', 'default'),
  vpcName: context('vpcName', 'prod-vpc'),
  apiImage: context('apiImage', 'my-org/api:latest'),
  workerImage: context('workerImage', 'my-org/worker:latest'),
});
