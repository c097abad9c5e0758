import os

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_xray_constructs import (
    ApplicationSignalsDiscovery, ApplicationSignalsService, LambdaInstrumentation, ServiceLevelIndicator,
    ServiceLevelObjective, SloInterval, TraceCollector, TracedFargateTaskDefinition, TracedFunction, TransactionSearch,
)

HERE = os.path.dirname(os.path.abspath(__file__))
# The TypeScript example's handler and the ECS example's app image: the same assets, so the same hashes.
HANDLERS = os.path.join(HERE, "..", "..", "application-signals", "handlers")
APP_DIR = os.path.join(HERE, "..", "..", "ecs-fargate-adot", "app")


class ApplicationSignalsStack(Stack):
    """Application Signals on a Lambda function and an ECS service, an SLO with a burn-rate alarm, and an ECS service
    exporting straight to X-Ray (the Python twin of examples/application-signals).
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Once per account and Region.
        ApplicationSignalsDiscovery(self, "Discovery")
        TransactionSearch(self, "TransactionSearch")

        # Its role may write to its own log group only (instead of AWSLambdaBasicExecutionRole).
        orders_logs = logs.LogGroup(self, "OrdersLogs", retention=logs.RetentionDays.ONE_MONTH)
        orders_role = iam.Role(self, "OrdersRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        orders_logs.grant_write(orders_role)
        self.orders = TracedFunction(self, "Orders",
            role=orders_role,
            runtime=lambda_.Runtime.NODEJS_24_X,
            handler="orders.handler",
            code=lambda_.Code.from_asset(HANDLERS),
            service_name="orders",
            instrumentation=LambdaInstrumentation.adot(application_signals=True),
            log_group=orders_logs,
        )

        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        vpc.add_flow_log("FlowLog")
        cluster = ecs.Cluster(self, "Cluster", vpc=vpc, container_insights_v2=ecs.ContainerInsights.ENABLED)
        image = ecs.ContainerImage.from_asset(APP_DIR)

        self.checkout_task = TracedFargateTaskDefinition(self, "CheckoutTask",
            cpu=1024,
            memory_limit_mib=2048,
            resource_attributes={"deployment.environment": "shop"},
            collector=TraceCollector.application_signals(),
        )
        for construct, name in (("Checkout", "checkout"), ("CheckoutWorker", "checkout-worker")):
            self.checkout_task.add_traced_container(construct,
                container_name=name,
                image=image,
                logging=ecs.LogDrivers.aws_logs(
                    stream_prefix=name,
                    log_group=logs.LogGroup(self, f"{construct}Logs", retention=logs.RetentionDays.ONE_MONTH),
                ),
                service_name=name,
            )
        ecs.FargateService(self, "CheckoutService", cluster=cluster, task_definition=self.checkout_task, desired_count=2)

        self.catalog_task = TracedFargateTaskDefinition(self, "CatalogTask",
            cpu=512,
            memory_limit_mib=1024,
            collector=TraceCollector.direct_to_x_ray(sampling_ratio=0.1),
        )
        self.catalog_task.add_traced_container("Catalog",
            container_name="catalog",
            image=image,
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix="catalog",
                log_group=logs.LogGroup(self, "CatalogLogs", retention=logs.RetentionDays.ONE_MONTH),
            ),
            service_name="catalog",
        )
        ecs.FargateService(self, "CatalogService", cluster=cluster, task_definition=self.catalog_task, desired_count=2)

        self.orders_latency = ServiceLevelObjective(self, "OrdersLatency",
            indicator=ServiceLevelIndicator.latency(
                service=ApplicationSignalsService(name="orders", environment="lambda:default"),
                threshold=Duration.millis(300),
                statistic="p99",
            ),
            attainment_goal=99.9,
            interval=SloInterval.rolling_days(30),
        )
        self.orders_latency.add_burn_rate_alarm("FastBurn", window=Duration.hours(1), threshold=14.4)

        # The findings this app accepts, each on the resource it concerns and with its reason.
        for task in (self.checkout_task, self.catalog_task):
            Validations.of(task).acknowledge(Acknowledgment(
                id="AwsSolutions-ECS2",
                reason="OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.",
            ))
            Validations.of(task.execution_role).acknowledge(Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.",
            ))
