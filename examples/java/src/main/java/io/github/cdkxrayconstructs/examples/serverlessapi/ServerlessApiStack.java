package io.github.cdkxrayconstructs.examples.serverlessapi;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import io.github.cdkxrayconstructs.LambdaInstrumentation;
import io.github.cdkxrayconstructs.PowertoolsTracerOptions;
import io.github.cdkxrayconstructs.TracedFunction;
import io.github.cdkxrayconstructs.TracedRestApi;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.constructs.Construct;

/**
 * API Gateway REST -> two traced functions -> DynamoDB (the Java twin of examples/serverless-api).
 *
 * <p>POST /items writes an item (Powertools Tracer), GET /items/{pk} reads one (AWS Distro for OpenTelemetry layer).
 */
public class ServerlessApiStack extends Stack {
    /** The TypeScript example's handlers (relative to examples/java): the same asset, so the same asset hash. */
    static final String HANDLERS = Paths.get("..", "serverless-api", "handlers").toString();

    private final TracedRestApi api;

    public ServerlessApiStack(final Construct scope, final String id, final StackProps props, final boolean acknowledgeFindings) {
        super(scope, id, props);

        Table table = Table.Builder.create(this, "Items")
            .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

        Code handlers = Code.fromAsset(HANDLERS, AssetOptions.builder().exclude(List.of("node_modules")).build());
        Logging writeLogging = new Logging(this, "WriteItem");
        TracedFunction writer = TracedFunction.Builder.create(this, "WriteItem")
            .role(writeLogging.role)
            .logGroup(writeLogging.logGroup)
            .runtime(Runtime.NODEJS_24_X)
            .handler("write-item.handler")
            .code(handlers)
            .environment(Map.of("TABLE_NAME", table.getTableName()))
            .instrumentation(LambdaInstrumentation.powertools(PowertoolsTracerOptions.builder().layer(true).build()))
            .serviceName("items-writer")
            .annotationKeys(List.of("item_kind"))
            .build();
        Logging readLogging = new Logging(this, "ReadItem");
        TracedFunction reader = TracedFunction.Builder.create(this, "ReadItem")
            .role(readLogging.role)
            .logGroup(readLogging.logGroup)
            .runtime(Runtime.NODEJS_24_X)
            .handler("read-item.handler")
            .code(handlers)
            .environment(Map.of("TABLE_NAME", table.getTableName()))
            .instrumentation(LambdaInstrumentation.adot())
            .serviceName("items-reader")
            .build();
        table.grantWriteData(writer);
        table.grantReadData(reader);

        this.api = TracedRestApi.Builder.create(this, "Api")
            .restApiName("items")
            .description("Items API (traced with AWS X-Ray)")
            // The account's API Gateway CloudWatch role is account-wide, usually set by the account baseline.
            .cloudWatchRole(false)
            .defaultMethodOptions(MethodOptions.builder().authorizationType(AuthorizationType.IAM).build())
            .build();
        RequestValidator validator = api.addRequestValidator("Validator",
            RequestValidatorOptions.builder().validateRequestBody(true).validateRequestParameters(true).build());
        Resource items = api.getRoot().addResource("items");
        items.addMethod("POST", new LambdaIntegration(writer), MethodOptions.builder().requestValidator(validator).build());
        items.addResource("{pk}").addMethod("GET", new LambdaIntegration(reader), MethodOptions.builder()
            .requestValidator(validator)
            .requestParameters(Map.of("method.request.path.pk", true))
            .build());

        if (acknowledgeFindings) {
            Validations.of(api).acknowledge(
                Acknowledgment.builder().id("AwsSolutions-APIG3")
                    .reason("The items API is internal and IAM-authorized; no WAF web ACL is attached.").build(),
                Acknowledgment.builder().id("AwsSolutions-COG4")
                    .reason("Callers sign requests with IAM (SigV4); there is no Cognito user pool.").build());
        }
    }

    public TracedRestApi getApi() {
        return api;
    }

    /** A log group with a retention and a role that may write only to it, instead of AWSLambdaBasicExecutionRole. */
    private static final class Logging {
        final Role role;
        final LogGroup logGroup;

        Logging(final Construct scope, final String name) {
            this.logGroup = LogGroup.Builder.create(scope, name + "Logs").retention(RetentionDays.ONE_MONTH).build();
            this.role = Role.Builder.create(scope, name + "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
            logGroup.grantWrite(role);
        }
    }
}
