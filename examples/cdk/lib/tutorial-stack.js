// The tutorial's stack (session 014: ECS services, service discovery and
// ALB target group integration), as written there, with the changes a
// local run needs: the listener is HTTP on port 80 (the tutorial's 443 has
// no certificate), both apps listen on 8080, the containers have a health
// check that runs the image's own binary (a FROM scratch image has no
// shell), the circuit breaker is set with `circuitBreaker` (the tutorial's
// `deploymentCircuitBreaker` is no property of FargateService and would be
// ignored), and the load balancer's DNS name is a stack output.
const { Stack, Duration, CfnOutput } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const servicediscovery = require('aws-cdk-lib/aws-servicediscovery');

const APP_PORT = 8080;

class TutorialStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const vpc = chooseVpc(this, props);

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: 'internal.svc',
      vpc,
    });

    // ─── Worker service: reached only through Cloud Map ──────────────────
    const workerTaskDef = new ecs.FargateTaskDefinition(this, 'WorkerTaskDef', {
      cpu: 256,
      memoryLimitMiB: 512,
    });
    workerTaskDef.addContainer('worker', {
      image: ecs.ContainerImage.fromRegistry(props.workerImage),
      portMappings: [{ containerPort: APP_PORT }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker' }),
      healthCheck: selfHealthCheck(),
    });

    const workerSg = new ec2.SecurityGroup(this, 'WorkerSg', { vpc });
    new ecs.FargateService(this, 'WorkerService', {
      cluster,
      taskDefinition: workerTaskDef,
      desiredCount: 2,
      securityGroups: [workerSg],
      cloudMapOptions: {
        name: 'worker', // worker.internal.svc
        cloudMapNamespace: namespace,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
      },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 50,
      maxHealthyPercent: 200,
    });

    // ─── API service behind an internet-facing ALB ───────────────────────
    const apiTaskDef = new ecs.FargateTaskDefinition(this, 'ApiTaskDef', {
      cpu: 512,
      memoryLimitMiB: 1024,
    });
    apiTaskDef.addContainer('api', {
      image: ecs.ContainerImage.fromRegistry(props.apiImage),
      portMappings: [{ containerPort: APP_PORT }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }),
      environment: {
        WORKER_URL: `http://worker.internal.svc:${APP_PORT}`,
      },
      healthCheck: selfHealthCheck(),
    });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'ALB', {
      vpc,
      internetFacing: true,
    });
    const listener = alb.addListener('HttpListener', {
      port: 80,
      open: true,
    });

    const apiSg = new ec2.SecurityGroup(this, 'ApiSg', { vpc });
    const apiService = new ecs.FargateService(this, 'ApiService', {
      cluster,
      taskDefinition: apiTaskDef,
      desiredCount: 3,
      securityGroups: [apiSg],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
    });

    // Registering the targets also opens apiSg to the ALB's security group.
    apiService.registerLoadBalancerTargets({
      containerName: 'api',
      containerPort: APP_PORT,
      newTargetGroupId: 'ApiTG',
      listener: ecs.ListenerConfig.applicationListener(listener, {
        protocol: elbv2.ApplicationProtocol.HTTP,
        healthCheck: {
          path: '/health',
          interval: Duration.seconds(15),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
          timeout: Duration.seconds(5),
        },
        deregistrationDelay: Duration.seconds(30),
      }),
    });

    // The api calls the worker on its port.
    workerSg.addIngressRule(apiSg, ec2.Port.tcp(APP_PORT), 'API para Worker');

    // Where to curl: `cdk deploy` prints it, describe-stacks has it.
    new CfnOutput(this, 'LoadBalancerDnsName', { value: alb.loadBalancerDnsName });
  }
}

// chooseVpc returns the VPC of the variant named by the `vpc` context value.
function chooseVpc(scope, props) {
  switch (props.vpcVariant) {
    case 'default':
      return ec2.Vpc.fromLookup(scope, 'Vpc', { isDefault: true });
    case 'lookup':
      return ec2.Vpc.fromLookup(scope, 'Vpc', { vpcName: props.vpcName });
    case 'new':
      return new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 1 });
    default:
      throw new Error(`unknown vpc variant "${props.vpcVariant}": use -c vpc=default, -c vpc=lookup -c vpcName=NAME or -c vpc=new`);
  }
}

// selfHealthCheck runs the image's binary, which checks its own /health.
function selfHealthCheck() {
  return {
    command: ['CMD', '/exampleapp', 'healthcheck'],
    interval: Duration.seconds(5),
    timeout: Duration.seconds(2),
    retries: 2,
    startPeriod: Duration.seconds(10),
  };
}

module.exports = { TutorialStack };
