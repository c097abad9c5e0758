/**
 * How the collector runs when it is made of plain Kubernetes objects.
 */
export enum EksCollectorMode {
  /** A Deployment behind a Service: runs on EC2 nodes and on Fargate profiles. */
  DEPLOYMENT = 'deployment',
  /** A DaemonSet, one collector per node behind a Service: EC2 nodes only (Fargate runs no DaemonSet). */
  DAEMONSET = 'daemonset',
}

/**
 * The languages the OpenTelemetry Operator injects auto-instrumentation for
 * (`instrumentation.opentelemetry.io/inject-<language>`).
 * @see https://aws-otel.github.io/docs/getting-started/adot-eks-add-on/config-auto-instrumentation
 */
export enum EksInstrumentationLanguage {
  /** Java (`inject-java`). */
  JAVA = 'java',
  /** Python (`inject-python`). */
  PYTHON = 'python',
  /** Node.js (`inject-nodejs`). */
  NODEJS = 'nodejs',
  /** .NET (`inject-dotnet`). */
  DOTNET = 'dotnet',
}
