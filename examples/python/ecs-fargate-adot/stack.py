import os

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as ecs_patterns
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_xray_constructs import (
    AdotCollectorConfig, SamplingRate, TailSamplingOptions, TailSamplingPolicy, TraceCollector,
    TracedFargateTaskDefinition,
)

# The TypeScript example's app image (built from its Dockerfile at deploy time): the same asset, so the same hash.
APP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ecs-fargate-adot", "app")


class EcsFargateAdotStack(Stack):
    """An ALB-fronted Fargate service whose OpenTelemetry app sends traces to an ADOT collector sidecar
    (the Python twin of examples/ecs-fargate-adot). The collector indexes exactly the declared annotation keys and
    keeps every error, every request slower than 2 seconds and 10 % of the rest.
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        vpc.add_flow_log("FlowLog")
        cluster = ecs.Cluster(self, "Cluster", vpc=vpc, container_insights_v2=ecs.ContainerInsights.ENABLED)

        self.task_definition = TracedFargateTaskDefinition(self, "Task",
            cpu=1024,
            memory_limit_mib=2048,
            annotation_keys=["tenant_tier"],
            resource_attributes={"deployment.environment": "prod"},
            collector=TraceCollector.adot(
                config=AdotCollectorConfig(
                    tail_sampling=TailSamplingOptions(policies=[
                        TailSamplingPolicy.keep_errors(),
                        TailSamplingPolicy.keep_slower_than(Duration.seconds(2)),
                        TailSamplingPolicy.baseline(SamplingRate.percent(10)),
                    ]),
                ),
            ),
        )
        self.task_definition.add_traced_container("Orders",
            container_name="orders",
            image=ecs.ContainerImage.from_asset(APP_DIR),
            port_mappings=[ecs.PortMapping(container_port=8080)],
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix="orders",
                log_group=logs.LogGroup(self, "OrdersLogs", retention=logs.RetentionDays.ONE_MONTH),
            ),
            service_name="orders",
            annotation_keys=["order_kind"],
        )

        self.service = ecs_patterns.ApplicationLoadBalancedFargateService(self, "Service",
            cluster=cluster,
            task_definition=self.task_definition,
            desired_count=2,
            public_load_balancer=True,
        )
        self.service.target_group.configure_health_check(path="/health")

        # The findings this app accepts, each on the resource it concerns and with its reason.
        Validations.of(self.task_definition).acknowledge(Acknowledgment(
            id="AwsSolutions-ECS2",
            reason="OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.",
        ))
        Validations.of(self.task_definition.execution_role).acknowledge(Acknowledgment(
            id="AwsSolutions-IAM5[Resource::*]",
            reason="ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.",
        ))
        Validations.of(self.service.load_balancer).acknowledge(
            Acknowledgment(id="AwsSolutions-ELB2", reason="ALB access logs are not kept; traces and the app logs record each request."),
            Acknowledgment(id="AwsSolutions-EC23", reason="The public load balancer accepts HTTP from the internet by design."),
        )
