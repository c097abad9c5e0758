package io.github.cdkxrayconstructs.examples.ecsfargatexraydaemon;

import java.nio.file.Paths;
import java.util.List;

import io.github.cdkxrayconstructs.ContainerInstrumentation;
import io.github.cdkxrayconstructs.EcsTracing;
import io.github.cdkxrayconstructs.EcsTracingOptions;
import io.github.cdkxrayconstructs.TraceCollector;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedTaskImageOptions;
import software.constructs.Construct;

/**
 * The legacy path (the Java twin of examples/ecs-fargate-xray-daemon): an ALB-fronted Fargate service made by
 * ecs-patterns, whose app uses the AWS X-Ray SDK, traced with EcsTracing.enable and the X-Ray daemon sidecar. The daemon
 * loses support on 2027-02-25; the migration is TraceCollector.adot(), whose X-Ray receiver takes the same SDK traffic.
 */
public class EcsFargateXRayDaemonStack extends Stack {
    /** The TypeScript example's app image directory (relative to examples/java): the same asset, so the same hash. */
    static final String APP_DIR = Paths.get("..", "ecs-fargate-xray-daemon", "app").toString();

    public EcsFargateXRayDaemonStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        Vpc vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1).build();
        vpc.addFlowLog("FlowLog");
        Cluster cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).containerInsightsV2(ContainerInsights.ENABLED).build();

        ApplicationLoadBalancedFargateService service = ApplicationLoadBalancedFargateService.Builder.create(this, "Service")
            .cluster(cluster)
            .cpu(512)
            .memoryLimitMiB(1024)
            .desiredCount(2)
            .publicLoadBalancer(true)
            .taskImageOptions(ApplicationLoadBalancedTaskImageOptions.builder()
                .containerName("orders")
                .image(ContainerImage.fromAsset(APP_DIR))
                .containerPort(8080)
                .build())
            .build();
        EcsTracing.enable(service.getTaskDefinition(), EcsTracingOptions.builder()
            .collector(TraceCollector.xrayDaemon())
            .instrumentation(ContainerInstrumentation.xraySdk())
            .annotationKeys(List.of("route"))
            .build());

        // The findings this app accepts, each on the resource it concerns and with its reason.
        Validations.of(service.getTaskDefinition()).acknowledge(
            Acknowledgment.builder().id("AwsSolutions-ECS2")
                .reason("The X-Ray SDK reads its daemon address only from AWS_XRAY_DAEMON_ADDRESS; nothing secret is set.").build(),
            Acknowledgment.builder().id("cdk-xray-constructs::xrayDaemonEndOfSupport")
                .reason("Migration to the ADOT collector is planned before 2027-02-25.").build(),
            Acknowledgment.builder().id("XRay-XRaySdkEndOfSupport")
                .reason("Migration to the ADOT collector and OpenTelemetry is planned before 2027-02-25.").build());
        Validations.of(service.getTaskDefinition().getExecutionRole()).acknowledge(Acknowledgment.builder()
            .id("AwsSolutions-IAM5[Resource::*]")
            .reason("ecr:GetAuthorizationToken, needed to pull the app image, takes no resource-level permissions.")
            .build());
        Validations.of(service.getLoadBalancer()).acknowledge(
            Acknowledgment.builder().id("AwsSolutions-ELB2")
                .reason("ALB access logs are not kept; traces and the app logs record each request.").build(),
            Acknowledgment.builder().id("AwsSolutions-EC23")
                .reason("The public load balancer accepts HTTP from the internet by design.").build());
    }
}
