/*
 * Names in the cluster that other parts of the EKS path must agree on.
 */

/** The namespace the `adot` add-on runs its operator and preconfigured collectors in. */
export const ADDON_NAMESPACE = 'opentelemetry-operator-system';

/** The service account of the add-on's OTLP ingest collector (`collector.otlpIngest`). */
export const ADDON_OTLP_SERVICE_ACCOUNT = 'adot-col-otlp-ingest';

/**
 * The Service the operator creates for the OTLP ingest collector: the collector's name with `-collector` appended,
 * as the operator names every collector's Service.
 */
export const ADDON_OTLP_SERVICE = 'adot-col-otlp-ingest-collector';

/** The name of the objects of the collector made of Kubernetes objects. */
export const MANIFEST_COLLECTOR_NAME = 'xray-collector';

/** The namespace of the collector made of Kubernetes objects, unless the user names one. */
export const MANIFEST_COLLECTOR_NAMESPACE = 'xray-collector';

/** The annotation an IRSA service account carries. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The prefix of the operator's opt-in annotations, followed by the language. */
export const INJECT_ANNOTATION_PREFIX = 'instrumentation.opentelemetry.io/inject-';

/** OTLP over gRPC and over HTTP. */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;

/** The sampling proxy of the collector made of Kubernetes objects (`awsproxy`). */
export const SAMPLING_PROXY_PORT = 2000;
