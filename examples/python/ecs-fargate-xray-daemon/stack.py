import os

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as ecs_patterns
from constructs import Construct

from cdk_xray_constructs import ContainerInstrumentation, EcsTracing, TraceCollector

# The TypeScript example's app image (built from its Dockerfile at deploy time): the same asset, so the same hash.
APP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ecs-fargate-xray-daemon", "app")


class EcsFargateXRayDaemonStack(Stack):
    """The legacy path (the Python twin of examples/ecs-fargate-xray-daemon): an ALB-fronted Fargate service made by
    ecs-patterns, whose app uses the AWS X-Ray SDK, traced with EcsTracing.enable and the X-Ray daemon sidecar. The
    daemon loses support on 2027-02-25; the migration is TraceCollector.adot(), whose X-Ray receiver takes the same
    SDK traffic.
    """

    def __init__(self, scope: Construct, construct_id: str, *, collector: TraceCollector = None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        vpc.add_flow_log("FlowLog")
        cluster = ecs.Cluster(self, "Cluster", vpc=vpc, container_insights_v2=ecs.ContainerInsights.ENABLED)

        self.service = ecs_patterns.ApplicationLoadBalancedFargateService(self, "Service",
            cluster=cluster,
            cpu=512,
            memory_limit_mib=1024,
            desired_count=2,
            public_load_balancer=True,
            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
                container_name="orders",
                image=ecs.ContainerImage.from_asset(APP_DIR),
                container_port=8080,
            ),
        )
        EcsTracing.enable(self.service.task_definition,
            collector=collector or TraceCollector.xray_daemon(),
            instrumentation=ContainerInstrumentation.xray_sdk(),
            annotation_keys=["route"],
        )

        # The findings this app accepts, each on the resource it concerns and with its reason.
        Validations.of(self.service.task_definition).acknowledge(
            Acknowledgment(
                id="AwsSolutions-ECS2",
                reason="The X-Ray SDK reads its daemon address only from AWS_XRAY_DAEMON_ADDRESS; nothing secret is set.",
            ),
            Acknowledgment(
                id="cdk-xray-constructs::xrayDaemonEndOfSupport",
                reason="Migration to the ADOT collector is planned before 2027-02-25.",
            ),
            Acknowledgment(
                id="XRay-XRaySdkEndOfSupport",
                reason="Migration to the ADOT collector and OpenTelemetry is planned before 2027-02-25.",
            ),
        )
        Validations.of(self.service.task_definition.execution_role).acknowledge(Acknowledgment(
            id="AwsSolutions-IAM5[Resource::*]",
            reason="ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.",
        ))
        Validations.of(self.service.load_balancer).acknowledge(
            Acknowledgment(id="AwsSolutions-ELB2", reason="ALB access logs are not kept; traces and the app logs record each request."),
            Acknowledgment(id="AwsSolutions-EC23", reason="The public load balancer accepts HTTP from the internet by design."),
        )
