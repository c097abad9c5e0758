from aws_cdk import Acknowledgment, CfnParameter, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_xray_constructs import EksInstrumentationLanguage, EksInstrumentationOptions, EksTracing


class EksAdotStack(Stack):
    """An aws-eks-v2 cluster with X-Ray tracing (the Python twin of examples/eks-adot): the adot EKS add-on with its
    X-Ray pipeline (cert-manager first), EKS Pod Identity for the collector, the operator's Instrumentation and one
    Java workload opted into auto-instrumentation. The kubectl layer's ARN is a parameter.
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        layer_arn = CfnParameter(self, "KubectlLayerArn",
            description="ARN of a Lambda layer with kubectl and Helm (for example from @aws-cdk/lambda-layer-kubectl-v35)")
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        vpc.add_flow_log("FlowLog")
        self.cluster = eks.Cluster(self, "Cluster",
            version=eks.KubernetesVersion.V1_35,
            vpc=vpc,
            default_capacity_type=eks.DefaultCapacityType.NODEGROUP,
            default_capacity=2,
            kubectl_provider_options=eks.KubectlProviderOptions(
                kubectl_layer=lambda_.LayerVersion.from_layer_version_arn(self, "KubectlLayer", layer_arn.value_as_string)),
        )
        Validations.of(self.cluster.node.find_child("KubectlProvider")).acknowledge(Acknowledgment(
            id="XRay-LambdaFunctionUntraced",
            reason="Deploy-time custom resource functions of aws-cdk-lib (the kubectl provider); they serve no requests to trace.",
        ))

        self.tracing = EksTracing.enable_v2(self.cluster, instrumentation=EksInstrumentationOptions(namespace="default"))

        labels = {"app": "orders"}
        self.tracing.add_workload("Orders",
            service_name="orders",
            annotation_keys=["tenant_tier"],
            auto_instrument=EksInstrumentationLanguage.JAVA,
            manifests=[
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": {"name": "orders", "namespace": "default", "labels": labels},
                    "spec": {
                        "replicas": 2,
                        "selector": {"matchLabels": labels},
                        "template": {
                            "metadata": {"labels": labels},
                            "spec": {
                                "containers": [{
                                    "name": "orders",
                                    "image": "public.ecr.aws/docker/library/eclipse-temurin:21.0.5_11-jre",
                                    "command": ["java", "-jar", "/app/orders.jar"],
                                    "ports": [{"containerPort": 8080}],
                                    "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}},
                                }],
                            },
                        },
                    },
                },
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": "orders", "namespace": "default"},
                    "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": 8080}]},
                },
            ],
        )
