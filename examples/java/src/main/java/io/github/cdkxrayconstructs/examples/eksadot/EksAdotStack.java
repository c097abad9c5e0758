package io.github.cdkxrayconstructs.examples.eksadot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cdkxrayconstructs.EksInstrumentationLanguage;
import io.github.cdkxrayconstructs.EksInstrumentationOptions;
import io.github.cdkxrayconstructs.EksTracing;
import io.github.cdkxrayconstructs.EksTracingOptions;
import io.github.cdkxrayconstructs.EksWorkloadOptions;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.constructs.Construct;

/**
 * An aws-eks-v2 cluster with X-Ray tracing (the Java twin of examples/eks-adot): the adot EKS add-on with its X-Ray
 * pipeline (cert-manager first), EKS Pod Identity for the collector, the operator's Instrumentation and one Java
 * workload opted into auto-instrumentation. The kubectl layer's ARN is a parameter.
 */
public class EksAdotStack extends Stack {
    private final Cluster cluster;
    private final EksTracing tracing;

    public EksAdotStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        CfnParameter layerArn = CfnParameter.Builder.create(this, "KubectlLayerArn")
            .description("ARN of a Lambda layer with kubectl and Helm (for example from @aws-cdk/lambda-layer-kubectl-v35)")
            .build();
        Vpc vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1).build();
        vpc.addFlowLog("FlowLog");
        cluster = Cluster.Builder.create(this, "Cluster")
            .version(KubernetesVersion.V1_35)
            .vpc(vpc)
            .defaultCapacityType(DefaultCapacityType.NODEGROUP)
            .defaultCapacity(2)
            .kubectlProviderOptions(KubectlProviderOptions.builder()
                .kubectlLayer(LayerVersion.fromLayerVersionArn(this, "KubectlLayer", layerArn.getValueAsString()))
                .build())
            .build();
        Validations.of(cluster.getNode().findChild("KubectlProvider")).acknowledge(Acknowledgment.builder()
            .id("XRay-LambdaFunctionUntraced")
            .reason("Deploy-time custom resource functions of aws-cdk-lib (the kubectl provider); they serve no requests to trace.")
            .build());

        tracing = EksTracing.enableV2(cluster, EksTracingOptions.builder()
            .instrumentation(EksInstrumentationOptions.builder().namespace("default").build())
            .build());

        Map<String, Object> labels = object("app", "orders");
        Map<String, Object> container = object(
            "name", "orders",
            "image", "public.ecr.aws/docker/library/eclipse-temurin:21.0.5_11-jre",
            "command", List.of("java", "-jar", "/app/orders.jar"),
            "ports", List.of(object("containerPort", 8080)),
            "resources", object("requests", object("cpu", "250m", "memory", "512Mi"), "limits", object("memory", "1Gi")));
        Map<String, Object> deployment = object(
            "apiVersion", "apps/v1",
            "kind", "Deployment",
            "metadata", object("name", "orders", "namespace", "default", "labels", labels),
            "spec", object(
                "replicas", 2,
                "selector", object("matchLabels", labels),
                "template", object("metadata", object("labels", labels), "spec", object("containers", List.of(container)))));
        Map<String, Object> service = object(
            "apiVersion", "v1",
            "kind", "Service",
            "metadata", object("name", "orders", "namespace", "default"),
            "spec", object("selector", labels, "ports", List.of(object("port", 80, "targetPort", 8080))));
        tracing.addWorkload("Orders", EksWorkloadOptions.builder()
            .serviceName("orders")
            .annotationKeys(List.of("tenant_tier"))
            .autoInstrument(EksInstrumentationLanguage.JAVA)
            .manifests(List.of(deployment, service))
            .build());
    }

    /** A JSON object with its keys in the order given (Kubernetes manifests are rendered in that order). */
    private static Map<String, Object> object(final Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    public Cluster getCluster() {
        return cluster;
    }

    public EksTracing getTracing() {
        return tracing;
    }
}
