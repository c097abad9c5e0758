package io.github.cdkxrayconstructs.examples.ecsfargateadot;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import io.github.cdkxrayconstructs.AdotCollectorConfig;
import io.github.cdkxrayconstructs.AdotCollectorOptions;
import io.github.cdkxrayconstructs.SamplingRate;
import io.github.cdkxrayconstructs.TailSamplingOptions;
import io.github.cdkxrayconstructs.TailSamplingPolicy;
import io.github.cdkxrayconstructs.TraceCollector;
import io.github.cdkxrayconstructs.TracedContainerDefinitionOptions;
import io.github.cdkxrayconstructs.TracedFargateTaskDefinition;
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
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * An ALB-fronted Fargate service whose OpenTelemetry app sends traces to an ADOT collector sidecar (the Java twin of
 * examples/ecs-fargate-adot). The collector indexes exactly the declared annotation keys and keeps every error, every
 * request slower than 2 seconds and 10 % of the rest.
 */
public class EcsFargateAdotStack extends Stack {
    /** The TypeScript example's app image directory (relative to examples/java): the same asset, so the same hash. */
    static final String APP_DIR = Paths.get("..", "ecs-fargate-adot", "app").toString();

    public EcsFargateAdotStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        Vpc vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1).build();
        vpc.addFlowLog("FlowLog");
        Cluster cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).containerInsightsV2(ContainerInsights.ENABLED).build();

        TracedFargateTaskDefinition taskDefinition = TracedFargateTaskDefinition.Builder.create(this, "Task")
            .cpu(1024)
            .memoryLimitMiB(2048)
            .annotationKeys(List.of("tenant_tier"))
            .resourceAttributes(Map.of("deployment.environment", "prod"))
            .collector(TraceCollector.adot(AdotCollectorOptions.builder()
                .config(AdotCollectorConfig.Builder.create()
                    .tailSampling(TailSamplingOptions.builder()
                        .policies(List.of(
                            TailSamplingPolicy.keepErrors(),
                            TailSamplingPolicy.keepSlowerThan(Duration.seconds(2)),
                            TailSamplingPolicy.baseline(SamplingRate.percent(10))))
                        .build())
                    .build())
                .build()))
            .build();
        taskDefinition.addTracedContainer("Orders", TracedContainerDefinitionOptions.builder()
            .containerName("orders")
            .image(ContainerImage.fromAsset(APP_DIR))
            .portMappings(List.of(PortMapping.builder().containerPort(8080).build()))
            .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                .streamPrefix("orders")
                .logGroup(LogGroup.Builder.create(this, "OrdersLogs").retention(RetentionDays.ONE_MONTH).build())
                .build()))
            .serviceName("orders")
            .annotationKeys(List.of("order_kind"))
            .build());

        ApplicationLoadBalancedFargateService service = ApplicationLoadBalancedFargateService.Builder.create(this, "Service")
            .cluster(cluster)
            .taskDefinition(taskDefinition)
            .desiredCount(2)
            .publicLoadBalancer(true)
            .build();
        service.getTargetGroup().configureHealthCheck(HealthCheck.builder().path("/health").build());

        // The findings this app accepts, each on the resource it concerns and with its reason.
        Validations.of(taskDefinition).acknowledge(Acknowledgment.builder().id("AwsSolutions-ECS2")
            .reason("OpenTelemetry SDKs read their configuration (OTEL_*) only from environment variables; none of them is secret.")
            .build());
        Validations.of(taskDefinition.getExecutionRole()).acknowledge(Acknowledgment.builder().id("AwsSolutions-IAM5[Resource::*]")
            .reason("ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.")
            .build());
        Validations.of(service.getLoadBalancer()).acknowledge(
            Acknowledgment.builder().id("AwsSolutions-ELB2")
                .reason("ALB access logs are not kept; traces and the app logs record each request.").build(),
            Acknowledgment.builder().id("AwsSolutions-EC23")
                .reason("The public load balancer accepts HTTP from the internet by design.").build());
    }
}
