import { ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  RegisterContainerInstanceCommand,
} from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SandboxAwsClients } from './aws-clients.js';
import type { SeededAws } from './endpoints.js';

export interface SeedAwsOptions {
  region: string;
  /** PEM certificate and key the ALB's HTTPS listener serves (imported into ACM). */
  certificatePem: string;
  privateKeyPem: string;
  domain: string;
}

const tags = [{ Key: 'preview-actions:sandbox', Value: 'true' }];

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`moto returned no ${what} while seeding`);
  return value;
}

async function createSubnet(clients: SandboxAwsClients, vpcId: string, cidr: string, zone: string, name: string) {
  const { Subnet } = await clients.ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: cidr,
      AvailabilityZone: zone,
      TagSpecifications: [{ ResourceType: 'subnet', Tags: [...tags, { Key: 'Name', Value: name }] }],
    }),
  );
  return required(Subnet?.SubnetId, 'subnet id');
}

async function createNetwork(clients: SandboxAwsClients, zones: [string, string]) {
  const { Vpc } = await clients.ec2.send(
    new CreateVpcCommand({
      CidrBlock: '10.0.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [...tags, { Key: 'Name', Value: 'preview-actions' }] }],
    }),
  );
  const vpcId = required(Vpc?.VpcId, 'VPC id');
  const [publicA, publicB, privateA, privateB] = await Promise.all([
    createSubnet(clients, vpcId, '10.0.0.0/24', zones[0], 'public-a'),
    createSubnet(clients, vpcId, '10.0.1.0/24', zones[1], 'public-b'),
    createSubnet(clients, vpcId, '10.0.10.0/24', zones[0], 'private-a'),
    createSubnet(clients, vpcId, '10.0.11.0/24', zones[1], 'private-b'),
  ]);
  const { InternetGateway } = await clients.ec2.send(new CreateInternetGatewayCommand({}));
  const gatewayId = required(InternetGateway?.InternetGatewayId, 'internet gateway id');
  await clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
  const { RouteTable } = await clients.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const routeTableId = required(RouteTable?.RouteTableId, 'route table id');
  await clients.ec2.send(
    new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gatewayId }),
  );
  for (const subnetId of [publicA, publicB]) {
    await clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
  }
  return {
    vpcId,
    publicSubnetIds: [publicA, publicB] as [string, string],
    privateSubnetIds: [privateA, privateB] as [string, string],
  };
}

async function createSecurityGroups(clients: SandboxAwsClients, vpcId: string) {
  const alb = await clients.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'preview-actions-alb', Description: 'preview ALB', VpcId: vpcId }),
  );
  const albSecurityGroupId = required(alb.GroupId, 'ALB security group id');
  const service = await clients.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'preview-actions-tasks', Description: 'preview tasks', VpcId: vpcId }),
  );
  const serviceSecurityGroupId = required(service.GroupId, 'task security group id');
  await clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: albSecurityGroupId,
      IpPermissions: [443, 80].map((port) => ({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      })),
    }),
  );
  await clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: serviceSecurityGroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: albSecurityGroupId }] },
      ],
    }),
  );
  return { albSecurityGroupId, serviceSecurityGroupId };
}

/**
 * Creates an ECS cluster with one registered EC2 container instance, which moto needs to place tasks of
 * launch type EC2. Exported so tests can make a throwaway cluster the way `up` makes the seeded ones.
 */
export async function createClusterWithInstance(
  clients: SandboxAwsClients,
  name: string,
  subnetId: string,
  securityGroupId: string,
) {
  const { cluster } = await clients.ecs.send(
    new CreateClusterCommand({ clusterName: name, tags: [{ key: 'preview-actions:sandbox', value: 'true' }] }),
  );
  const { Instances } = await clients.ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0ecs0sandbox0000',
      InstanceType: 'm5.large',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      SecurityGroupIds: [securityGroupId],
    }),
  );
  const instanceId = required(Instances?.[0]?.InstanceId, 'EC2 instance id');
  const { containerInstance } = await clients.ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: name,
      instanceIdentityDocument: JSON.stringify({ instanceId, region: 'us-east-1', accountId: '123456789012' }),
    }),
  );
  return {
    clusterArn: required(cluster?.clusterArn, `cluster ${name} arn`),
    containerInstanceArn: required(containerInstance?.containerInstanceArn, 'container instance arn'),
  };
}

/** A test's throwaway cluster, with its container instance in the seeded private subnet and service security group. */
export async function createThrowawayCluster(clients: SandboxAwsClients, seeded: SeededAws, name: string) {
  const created = await createClusterWithInstance(
    clients,
    name,
    seeded.privateSubnetIds[0],
    seeded.serviceSecurityGroupId,
  );
  return { name, arn: created.clusterArn, containerInstanceArn: created.containerInstanceArn };
}

/** Removes a cluster made by createClusterWithInstance: its container instance, the EC2 instance, the cluster. */
export async function deleteClusterWithInstance(
  clients: SandboxAwsClients,
  cluster: { name: string; containerInstanceArn: string },
): Promise<void> {
  const { containerInstances } = await clients.ecs.send(
    new DescribeContainerInstancesCommand({
      cluster: cluster.name,
      containerInstances: [cluster.containerInstanceArn],
    }),
  );
  await clients.ecs.send(
    new DeregisterContainerInstanceCommand({
      cluster: cluster.name,
      containerInstance: cluster.containerInstanceArn,
      force: true,
    }),
  );
  const instanceId = containerInstances?.[0]?.ec2InstanceId;
  if (instanceId) await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  await clients.ecs.send(new DeleteClusterCommand({ cluster: cluster.name }));
}

async function createLoadBalancer(
  clients: SandboxAwsClients,
  options: SeedAwsOptions,
  network: { publicSubnetIds: string[] },
  albSecurityGroupId: string,
) {
  const { CertificateArn } = await clients.acm.send(
    new ImportCertificateCommand({
      Certificate: Buffer.from(options.certificatePem),
      PrivateKey: Buffer.from(options.privateKeyPem),
    }),
  );
  const certificateArn = required(CertificateArn, 'certificate arn');
  const name = 'preview-actions';
  const { LoadBalancers } = await clients.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Scheme: 'internet-facing',
      Type: 'application',
      Subnets: network.publicSubnetIds,
      SecurityGroups: [albSecurityGroupId],
      Tags: [{ Key: 'preview-actions:sandbox', Value: 'true' }],
    }),
  );
  const loadBalancer = required(LoadBalancers?.[0], 'load balancer');
  const arn = required(loadBalancer.LoadBalancerArn, 'load balancer arn');
  const { Listeners } = await clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: arn,
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: certificateArn }],
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no preview here' },
        },
      ],
    }),
  );
  return {
    arn,
    name,
    dnsName: required(loadBalancer.DNSName, 'load balancer DNS name'),
    httpsListenerArn: required(Listeners?.[0]?.ListenerArn, 'listener arn'),
    certificateArn,
    domain: options.domain,
  };
}

async function createRepositories(clients: SandboxAwsClients) {
  const names = ['api', 'admin', 'worker'] as const;
  const uris = await Promise.all(
    names.map(async (repositoryName) => {
      const { repository } = await clients.ecr.send(
        new CreateRepositoryCommand({ repositoryName, tags: [{ Key: 'preview-actions:sandbox', Value: 'true' }] }),
      );
      return required(repository?.repositoryUri, `ECR repository ${repositoryName} uri`);
    }),
  );
  return { api: uris[0]!, admin: uris[1]!, worker: uris[2]! };
}

/**
 * Seeds a fresh moto with what a user's Terraform would have made for preview environments: the network,
 * the clusters (each with a container instance), the ALB with its HTTPS listener, ECR repositories, the log group.
 */
export async function seedAws(clients: SandboxAwsClients, options: SeedAwsOptions): Promise<SeededAws> {
  const zones: [string, string] = [`${options.region}a`, `${options.region}b`];
  const logGroup = '/ecs/pr-environments';
  const network = await createNetwork(clients, zones);
  const [groups, ecrRepositories] = await Promise.all([
    createSecurityGroups(clients, network.vpcId),
    createRepositories(clients),
    clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup })),
  ]);
  const clusters = { previews: 'pr-environments', production: 'services-prod' };
  const [previews, production, loadBalancer] = await Promise.all([
    createClusterWithInstance(clients, clusters.previews, network.privateSubnetIds[0], groups.serviceSecurityGroupId),
    createClusterWithInstance(clients, clusters.production, network.privateSubnetIds[1], groups.serviceSecurityGroupId),
    createLoadBalancer(clients, options, network, groups.albSecurityGroupId),
  ]);
  return {
    accountId: previews.clusterArn.split(':')[4] ?? '123456789012',
    region: options.region,
    ...network,
    availabilityZones: zones,
    ...groups,
    clusters,
    clusterArns: { previews: previews.clusterArn, production: production.clusterArn },
    containerInstanceArns: { previews: previews.containerInstanceArn, production: production.containerInstanceArn },
    loadBalancer,
    ecrRepositories,
    logGroup,
  };
}
