import { Token } from 'aws-cdk-lib';
import { ProblemCollector, singleLinePrintableProblem } from '../../private/errors';

/**
 * The limits the EKS path checks its props against. Tokens are never judged: they are known at deploy time.
 */

/**
 * A DNS-1123 label (namespaces, service accounts' and Services' names): at most 63 lowercase letters, digits and
 * hyphens, starting and ending with a letter or digit.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_DNS_LABEL = 63;

/**
 * A DNS-1123 subdomain (most object names): at most 253 characters, dot-separated labels.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
 */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_DNS_SUBDOMAIN = 253;

/** An EKS add-on version as `aws eks describe-addon-versions` lists them: `v<major>.<minor>.<patch>-eksbuild.<n>`. */
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** The largest replica count a Deployment takes (an int32). */
const MAX_REPLICAS = 2147483647;

export function checkDnsLabel(problems: ProblemCollector, prop: string, value: string | undefined, example: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || value.length > MAX_DNS_LABEL || !DNS_LABEL.test(value)) {
    problems.add(prop, `must be a DNS-1123 label: 1 to ${MAX_DNS_LABEL} lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
      value, `Kubernetes refuses other names; use a name such as "${example}".`);
  }
}

export function checkDnsSubdomain(problems: ProblemCollector, prop: string, value: string | undefined, example: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || value.length > MAX_DNS_SUBDOMAIN || !DNS_SUBDOMAIN.test(value)) {
    problems.add(prop, `must be a DNS-1123 subdomain: 1 to ${MAX_DNS_SUBDOMAIN} lowercase letters, digits, hyphens and dots`,
      value, `Kubernetes refuses other names; use a name such as "${example}".`);
  }
}

export function checkAddonVersion(problems: ProblemCollector, prop: string, value: string | undefined, addon: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || !ADDON_VERSION.test(value)) {
    problems.add(prop, 'must be an EKS add-on version such as "v1.2.3-eksbuild.1"', value,
      `List the versions with \`aws eks describe-addon-versions --addon-name ${addon}\` and pass one of them.`);
  }
}

export function checkReplicas(problems: ProblemCollector, prop: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_REPLICAS) {
    problems.add(prop, `must be a whole number from 1 to ${MAX_REPLICAS}`, value, 'Two replicas keep traces flowing while one restarts.');
  }
}

export function checkRatio(problems: ProblemCollector, prop: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    problems.add(prop, 'must be a fraction from 0 to 1', value, 'Pass 0.05 to sample 5% of new traces.');
  }
}

/** A container image reference: one line, no whitespace, and never the moving `latest` tag. */
export function checkImage(problems: ProblemCollector, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const line = typeof value === 'string' ? singleLinePrintableProblem(value) : 'must be a string';
  if (line !== undefined) {
    problems.add(prop, line, value, 'Pass an image reference such as "public.ecr.aws/org/image:v1.2.3".');
  } else if (value.length === 0 || /\s/.test(value)) {
    problems.add(prop, 'must be an image reference without spaces', value, 'Pass an image reference such as "public.ecr.aws/org/image:v1.2.3".');
  } else if (/:latest$/.test(value) || !/[:@]/.test(value.slice(value.lastIndexOf('/') + 1))) {
    problems.add(prop, 'must be pinned to a version tag or digest, not "latest" or no tag', value,
      'A moving tag changes what runs without a deployment; pass a version tag or an @sha256 digest.');
  }
}
