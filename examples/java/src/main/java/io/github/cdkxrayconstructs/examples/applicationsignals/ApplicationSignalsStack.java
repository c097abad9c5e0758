package io.github.cdkxrayconstructs.examples.applicationsignals;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import io.github.cdkxrayconstructs.AdotLambdaOptions;
import io.github.cdkxrayconstructs.ApplicationSignalsDiscovery;
import io.github.cdkxrayconstructs.ApplicationSignalsService;
import io.github.cdkxrayconstructs.BurnRateAlarmOptions;
import io.github.cdkxrayconstructs.DirectToXRayOptions;
import io.github.cdkxrayconstructs.LambdaInstrumentation;
import io.github.cdkxrayconstructs.LatencyIndicatorProps;
import io.github.cdkxrayconstructs.ServiceLevelIndicator;
import io.github.cdkxrayconstructs.ServiceLevelObjective;
import io.github.cdkxrayconstructs.SloInterval;
import io.github.cdkxrayconstructs.TraceCollector;
import io.github.cdkxrayconstructs.TracedContainerDefinitionOptions;
import io.github.cdkxrayconstructs.TracedFargateTaskDefinition;
import io.github.cdkxrayconstructs.TracedFunction;
import io.github.cdkxrayconstructs.TransactionSearch;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Application Signals on a Lambda function and an ECS service, an SLO with a burn-rate alarm, and an ECS service
 * exporting straight to X-Ray (the Java twin of examples/application-signals).
 */
public class ApplicationSignalsStack extends Stack {
    /** The TypeScript example's handler directory (relative to examples/java): the same asset, so the same hash. */
    static final String HANDLERS = Paths.get("..", "application-signals", "handlers").toString();
    /** The ECS example's app image directory: the same asset, so the same hash. */
    static final String APP_DIR = Paths.get("..", "ecs-fargate-adot", "app").toString();

    public ApplicationSignalsStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);

        // Once per account and Region.
        new ApplicationSignalsDiscovery(this, "Discovery");
        new TransactionSearch(this, "TransactionSearch");

        // Its role may write to its own log group only (instead of AWSLambdaBasicExecutionRole).
        LogGroup ordersLogs = LogGroup.Builder.create(this, "OrdersLogs").retention(RetentionDays.ONE_MONTH).build();
        Role ordersRole = Role.Builder.create(this, "OrdersRole").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        ordersLogs.grantWrite(ordersRole);
        TracedFunction.Builder.create(this, "Orders")
            .role(ordersRole)
            .runtime(Runtime.NODEJS_24_X)
            .handler("orders.handler")
            .code(Code.fromAsset(HANDLERS))
            .serviceName("orders")
            .instrumentation(LambdaInstrumentation.adot(AdotLambdaOptions.builder().applicationSignals(true).build()))
            .logGroup(ordersLogs)
            .build();

        Vpc vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1).build();
        vpc.addFlowLog("FlowLog");
        Cluster cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).containerInsightsV2(ContainerInsights.ENABLED).build();
        ContainerImage image = ContainerImage.fromAsset(APP_DIR);

        TracedFargateTaskDefinition checkoutTask = TracedFargateTaskDefinition.Builder.create(this, "CheckoutTask")
            .cpu(1024)
            .memoryLimitMiB(2048)
            .resourceAttributes(Map.of("deployment.environment", "shop"))
            .collector(TraceCollector.applicationSignals())
            .build();
        for (String[] container : List.of(new String[] {"Checkout", "checkout"}, new String[] {"CheckoutWorker", "checkout-worker"})) {
            checkoutTask.addTracedContainer(container[0], TracedContainerDefinitionOptions.builder()
                .containerName(container[1])
                .image(image)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                    .streamPrefix(container[1])
                    .logGroup(LogGroup.Builder.create(this, container[0] + "Logs").retention(RetentionDays.ONE_MONTH).build())
                    .build()))
                .serviceName(container[1])
                .build());
        }
        FargateService.Builder.create(this, "CheckoutService").cluster(cluster).taskDefinition(checkoutTask).desiredCount(2).build();

        TracedFargateTaskDefinition catalogTask = TracedFargateTaskDefinition.Builder.create(this, "CatalogTask")
            .cpu(512)
            .memoryLimitMiB(1024)
            .collector(TraceCollector.directToXRay(DirectToXRayOptions.builder().samplingRatio(0.1).build()))
            .build();
        catalogTask.addTracedContainer("Catalog", TracedContainerDefinitionOptions.builder()
            .containerName("catalog")
            .image(image)
            .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                .streamPrefix("catalog")
                .logGroup(LogGroup.Builder.create(this, "CatalogLogs").retention(RetentionDays.ONE_MONTH).build())
                .build()))
            .serviceName("catalog")
            .build());
        FargateService.Builder.create(this, "CatalogService").cluster(cluster).taskDefinition(catalogTask).desiredCount(2).build();

        ServiceLevelObjective ordersLatency = ServiceLevelObjective.Builder.create(this, "OrdersLatency")
            .indicator(ServiceLevelIndicator.latency(LatencyIndicatorProps.builder()
                .service(ApplicationSignalsService.builder().name("orders").environment("lambda:default").build())
                .threshold(Duration.millis(300))
                .statistic("p99")
                .build()))
            .attainmentGoal(99.9)
            .interval(SloInterval.rollingDays(30))
            .build();
        ordersLatency.addBurnRateAlarm("FastBurn", BurnRateAlarmOptions.builder().window(Duration.hours(1)).threshold(14.4).build());

        // The findings this app accepts, each on the resource it concerns and with its reason.
        for (TracedFargateTaskDefinition task : List.of(checkoutTask, catalogTask)) {
            Validations.of(task).acknowledge(Acknowledgment.builder().id("AwsSolutions-ECS2")
                .reason("OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.")
                .build());
            Validations.of(task.getExecutionRole()).acknowledge(Acknowledgment.builder().id("AwsSolutions-IAM5[Resource::*]")
                .reason("ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.")
                .build());
        }
    }
}
