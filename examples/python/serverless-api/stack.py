import os

from aws_cdk import Acknowledgment, RemovalPolicy, Stack, Validations
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_xray_constructs import LambdaInstrumentation, TracedFunction, TracedRestApi

# The TypeScript example's handlers: the same asset, so the same asset hash.
HANDLERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "serverless-api", "handlers")


class ServerlessApiStack(Stack):
    """API Gateway REST -> two traced functions -> DynamoDB (the Python twin of examples/serverless-api).

    POST /items writes an item (Powertools Tracer), GET /items/{pk} reads one (AWS Distro for OpenTelemetry layer).
    """

    def __init__(self, scope: Construct, construct_id: str, *, acknowledge_findings: bool = True, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.table = dynamodb.Table(self, "Items",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),
            removal_policy=RemovalPolicy.RETAIN,
        )

        handlers = lambda_.Code.from_asset(HANDLERS, exclude=["node_modules"])
        self.writer = TracedFunction(self, "WriteItem",
            **self._logging("WriteItem"),
            runtime=lambda_.Runtime.NODEJS_24_X,
            handler="write-item.handler",
            code=handlers,
            environment={"TABLE_NAME": self.table.table_name},
            instrumentation=LambdaInstrumentation.powertools(layer=True),
            service_name="items-writer",
            annotation_keys=["item_kind"],
        )
        self.reader = TracedFunction(self, "ReadItem",
            **self._logging("ReadItem"),
            runtime=lambda_.Runtime.NODEJS_24_X,
            handler="read-item.handler",
            code=handlers,
            environment={"TABLE_NAME": self.table.table_name},
            instrumentation=LambdaInstrumentation.adot(),
            service_name="items-reader",
        )
        self.table.grant_write_data(self.writer)
        self.table.grant_read_data(self.reader)

        self.api = TracedRestApi(self, "Api",
            rest_api_name="items",
            description="Items API (traced with AWS X-Ray)",
            # The account's API Gateway CloudWatch role is account-wide, usually set by the account baseline.
            cloud_watch_role=False,
            default_method_options=apigateway.MethodOptions(authorization_type=apigateway.AuthorizationType.IAM),
        )
        validator = self.api.add_request_validator("Validator", validate_request_body=True, validate_request_parameters=True)
        items = self.api.root.add_resource("items")
        items.add_method("POST", apigateway.LambdaIntegration(self.writer), request_validator=validator)
        items.add_resource("{pk}").add_method("GET", apigateway.LambdaIntegration(self.reader),
            request_validator=validator,
            request_parameters={"method.request.path.pk": True},
        )

        if acknowledge_findings:
            Validations.of(self.api).acknowledge(
                Acknowledgment(id="AwsSolutions-APIG3", reason="The items API is internal and IAM-authorized; no WAF web ACL is attached."),
                Acknowledgment(id="AwsSolutions-COG4", reason="Callers sign requests with IAM (SigV4); there is no Cognito user pool."),
            )

    def _logging(self, name: str) -> dict:
        """A log group with a retention and a role that may write only to it, instead of AWSLambdaBasicExecutionRole."""
        log_group = logs.LogGroup(self, f"{name}Logs", retention=logs.RetentionDays.ONE_MONTH)
        role = iam.Role(self, f"{name}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group.grant_write(role)
        return {"role": role, "log_group": log_group}
