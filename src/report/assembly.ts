import * as fs from 'fs';
import * as path from 'path';
import { acknowledgmentsOf, ACKNOWLEDGED_RULES_METADATA } from '../checks/acknowledgments';
import type { StackTemplate } from '../graph/model';

/**
 * Reads the stacks of a cloud assembly (`cdk.out`): the directory `cdk synth` writes for an app in any language.
 *
 * Only the assembly's own files are read (`manifest.json`, templates, metadata files); nothing is synthesized and no
 * AWS account is needed.
 */

/** A problem with the files the report reads; the CLI prints the message and exits with code 3. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** One stack of the assembly, with what the report needs from its metadata. */
export interface AssemblyStack extends StackTemplate {
  /** The name people know it by: `Stage/Stack` for stacks in a Stage, else the artifact id. */
  readonly displayName: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** `aws://account/region` as the manifest states it (`unknown-account`/`unknown-region` when agnostic). */
  readonly environment?: string;
  /** The template file, relative to the top-level assembly directory. */
  readonly templateFile: string;
  /** Construct paths of the template's resources by logical id (from the template or the stack's metadata). */
  readonly resourcePaths: Readonly<Record<string, string>>;
  /** Rule acknowledgments (`Validations.of(scope).acknowledge(...)`) by construct path: rule id -> reason. */
  readonly acknowledgments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Construct paths by logical id of the resources of the stack's nested stacks, from the stack's metadata. */
  readonly nestedPaths?: Readonly<Record<string, string>>;
}

/** The assembly as read. */
export interface CloudAssembly {
  /** The absolute path of the top-level assembly directory. */
  readonly directory: string;
  /** Every stack, nested Stage assemblies included, in manifest order. */
  readonly stacks: AssemblyStack[];
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const PATH_METADATA = 'aws:cdk:path';
const LOGICAL_ID_METADATA = 'aws:cdk:logicalId';
const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';
const ASSET_PATH_METADATA = 'aws:asset:path';
const ASSET_PROPERTY_METADATA = 'aws:asset:property';

/**
 * Reads every stack template of the cloud assembly in `directory`, descending into the nested assemblies that
 * Stages produce.
 *
 * Resources that carry no `aws:cdk:path` metadata (apps synthesized with path metadata turned off, or without the CDK
 * CLI) get it from the stack's `aws:cdk:logicalId` metadata entries when the assembly has them, so the report can
 * name construct paths; the returned templates are copies with that metadata added.
 */
export function readCloudAssembly(directory: string): CloudAssembly {
  const root = path.resolve(directory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new ReportInputError(`${directory} is not a directory. Pass the cloud assembly directory that \`cdk synth\` writes (usually cdk.out).`);
  }
  const stacks: AssemblyStack[] = [];
  readAssemblyDir(root, root, stacks, new Set());
  const seen = new Map<string, number>();
  for (const s of stacks) {
    seen.set(s.stackId, (seen.get(s.stackId) ?? 0) + 1);
  }
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicates.length > 0) {
    throw new ReportInputError(`${directory}: stack artifact ids occur more than once across nested assemblies (${duplicates.join(', ')}).`);
  }
  return { directory: root, stacks };
}

/**
 * An assembly held in memory, from templates by stack id (e.g. `Template.fromStack(stack).toJSON()` in a unit test).
 * Paths come only from the templates' `aws:cdk:path` metadata.
 */
export function assemblyOfTemplates(templates: Record<string, any>): CloudAssembly {
  return {
    directory: '<memory>',
    stacks: Object.entries(templates).map(([stackId, template]) => ({
      stackId,
      displayName: stackId,
      stackName: stackId,
      templateFile: `${stackId}.template.json`,
      template,
      resourcePaths: Object.fromEntries(Object.entries<any>(template?.Resources ?? {})
        .filter(([, r]) => typeof r?.Metadata?.[PATH_METADATA] === 'string').map(([id, r]) => [id, r.Metadata[PATH_METADATA]])),
      acknowledgments: {},
    })),
  };
}

/** The templates of an assembly's stacks, as the trace graph reads them. */
export function stackTemplates(assembly: CloudAssembly): StackTemplate[] {
  return assembly.stacks.map(s => ({ stackId: s.stackId, template: s.template, ...(s.parent !== undefined ? { parent: s.parent } : {}) }));
}

function readAssemblyDir(root: string, dir: string, stacks: AssemblyStack[], visited: Set<string>): void {
  if (visited.has(dir)) {
    return;
  }
  visited.add(dir);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new ReportInputError(`${display(manifestFile)} not found: ${dir === root ? 'the directory is not a cloud assembly' : 'nested assembly is incomplete'}. ` +
      'Run `cdk synth` (or your app with CDK_OUTDIR set) and pass the directory it writes (usually cdk.out).');
  }
  const manifest = readJson(manifestFile);
  if (!isObject(manifest)) {
    throw new ReportInputError(`${display(manifestFile)} must hold a JSON object with "artifacts" (got ${kindOf(manifest)}). ` +
      'It is not a cloud assembly manifest; run `cdk synth` again and pass the directory it writes.');
  }
  if (manifest.artifacts !== undefined && !isObject(manifest.artifacts)) {
    throw new ReportInputError(`${display(manifestFile)}: "artifacts" must be an object of artifact id to artifact (got ${kindOf(manifest.artifacts)}).`);
  }
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isObject(artifact)) {
      throw new ReportInputError(`${display(manifestFile)}: artifact ${id} must be an object (got ${kindOf(artifact)}).`);
    }
    if (artifact.properties !== undefined && !isObject(artifact.properties)) {
      throw new ReportInputError(`${display(manifestFile)}: the properties of artifact ${id} must be an object (got ${kindOf(artifact.properties)}).`);
    }
  }
  const assetFiles = assetFilesOf(dir, artifacts);
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact?.type === STACK_ARTIFACT) {
      const stack = readStack(root, dir, id, artifact);
      stacks.push(stack, ...nestedStacks(root, dir, stack, assetFiles, 0));
    } else if (artifact?.type === NESTED_ASSEMBLY_ARTIFACT) {
      const nested = artifact.properties?.directoryName;
      if (typeof nested !== 'string') {
        throw new ReportInputError(`${display(manifestFile)}: nested assembly ${id} names no directoryName.`);
      }
      readAssemblyDir(root, path.resolve(dir, nested), stacks, visited);
    }
  }
}

function readStack(root: string, dir: string, id: string, artifact: any): AssemblyStack {
  const props = artifact.properties ?? {};
  if (typeof props.templateFile !== 'string') {
    throw new ReportInputError(`${display(path.join(dir, 'manifest.json'))}: stack ${id} names no templateFile.`);
  }
  const templateFile = path.join(dir, props.templateFile);
  const original = readTemplate(templateFile);
  const metadata = readStackMetadata(dir, artifact);

  /** Logical ids by construct path. */
  const logicalIds: Record<string, string> = {};
  const acknowledgments: Record<string, Record<string, string>> = {};
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      if (entry?.type === LOGICAL_ID_METADATA && typeof entry.data === 'string') {
        logicalIds[trimSlash(constructPath)] = entry.data;
      } else if (entry?.type === ACKNOWLEDGED_RULES_METADATA && entry.data && typeof entry.data === 'object') {
        const rules = acknowledgments[trimSlash(constructPath)] ??= {};
        // Whichever form the aws-cdk-lib version recorded (`annotation::`, `Annotation::`, `XRay::` or none), as XRayChecks reads it.
        for (const [ruleId, reason] of acknowledgmentsOf(entry.data)) {
          rules[ruleId] = reason;
        }
      }
    }
  }
  // The stack's metadata also names the resources of its nested stacks (whose logical ids may equal the stack's own).
  const nestedRoots = Object.keys(logicalIds).map(p => /^(.*)\.NestedStack\/[^/]*$/.exec(p)?.[1]).filter((p): p is string => p !== undefined);
  const resourcePaths: Record<string, string> = {};
  const nestedPaths: Record<string, string> = {};
  for (const [constructPath, logicalId] of Object.entries(logicalIds)) {
    if (nestedRoots.some(r => constructPath.startsWith(`${r}/`))) {
      nestedPaths[logicalId] = constructPath;
    } else {
      resourcePaths[logicalId] = constructPath;
    }
  }
  const { template, paths } = withPaths(original, resourcePaths);

  const displayName = typeof artifact.displayName === 'string' ? artifact.displayName : id;
  return {
    stackId: id,
    displayName,
    stackName: typeof props.stackName === 'string' ? props.stackName : id,
    environment: typeof artifact.environment === 'string' ? artifact.environment : undefined,
    templateFile: path.relative(root, templateFile),
    template,
    resourcePaths: paths,
    acknowledgments,
    nestedPaths,
  };
}

/**
 * A template whose resources carry `aws:cdk:path` metadata where `resourcePaths` (from the stack's metadata) knows
 * it, and the paths of its resources.
 */
function withPaths(original: any, resourcePaths: Record<string, string>): { template: any; paths: Record<string, string> } {
  const paths: Record<string, string> = {};
  const resources: Record<string, any> = {};
  for (const [logicalId, resource] of Object.entries<any>(original?.Resources ?? {})) {
    const declared = resource?.Metadata?.[PATH_METADATA];
    if (typeof declared === 'string') {
      paths[logicalId] = declared;
      resources[logicalId] = resource;
    } else if (resourcePaths[logicalId] !== undefined && resource && typeof resource === 'object') {
      paths[logicalId] = resourcePaths[logicalId];
      resources[logicalId] = { ...resource, Metadata: { ...resource.Metadata, [PATH_METADATA]: resourcePaths[logicalId] } };
    } else {
      resources[logicalId] = resource;
    }
  }
  return { template: original?.Resources ? { ...original, Resources: resources } : original, paths };
}

/** The files of the assembly directory's asset manifests, by the S3 object key they are published to. */
function assetFilesOf(dir: string, artifacts: Record<string, any>): Map<string, string> {
  const files = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    const file = artifact?.type === ASSET_MANIFEST_ARTIFACT ? artifact.properties?.file : undefined;
    if (typeof file !== 'string' || !fs.existsSync(path.join(dir, file))) {
      continue;
    }
    const manifest = readJson(path.join(dir, file));
    for (const asset of Object.values<any>(isObject(manifest) && isObject(manifest.files) ? manifest.files : {})) {
      const source = asset?.source?.path;
      for (const destination of Object.values<any>(asset?.destinations ?? {})) {
        if (typeof source === 'string' && typeof destination?.objectKey === 'string') {
          files.set(destination.objectKey, source);
        }
      }
    }
  }
  return files;
}

/**
 * The nested stacks (`AWS::CloudFormation::Stack` resources whose template is a file of the assembly) of a stack, and
 * theirs. A nested stack's id is its template file's name without `.nested.template.json`.
 */
function nestedStacks(root: string, dir: string, parent: AssemblyStack, assetFiles: Map<string, string>, depth: number): AssemblyStack[] {
  if (depth > 10) {
    return [];
  }
  const found: AssemblyStack[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template?.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') {
      continue;
    }
    const file = nestedTemplateFile(resource, assetFiles);
    if (file === undefined) {
      continue;
    }
    const templateFile = path.join(dir, file);
    const original = readTemplate(templateFile);
    const resourcePath = resource.Metadata?.[PATH_METADATA] ?? parent.resourcePaths[logicalId];
    // `Stack/Inner.NestedStack/Inner.NestedStackResource` is the resource of the nested stack `Stack/Inner`.
    const match = typeof resourcePath === 'string' ? /^(.*)\.NestedStack\/[^/]*$/.exec(resourcePath) : null;
    const constructPath = match === null ? undefined : match[1];
    const resourcePaths: Record<string, string> = {};
    for (const [id, p] of Object.entries(parent.nestedPaths ?? {})) {
      if (constructPath !== undefined && p.startsWith(`${constructPath}/`)) {
        resourcePaths[id] = p;
      }
    }
    const { template, paths } = withPaths(original, resourcePaths);
    const stack: AssemblyStack = {
      stackId: path.basename(file).replace(/(\.nested)?\.template\.json$/, ''),
      displayName: `${parent.displayName}/${constructPath === undefined ? logicalId : constructPath.split('/').pop()}`,
      stackName: `${parent.stackName}-${logicalId}`,
      environment: parent.environment,
      templateFile: path.relative(root, templateFile),
      template,
      parent: { stackId: parent.stackId, logicalId },
      resourcePaths: paths,
      acknowledgments: parent.acknowledgments,
      nestedPaths: parent.nestedPaths,
    };
    found.push(stack, ...nestedStacks(root, dir, stack, assetFiles, depth + 1));
  }
  return found;
}

/** The assembly file holding a nested stack's template: from the resource's asset metadata, else by its TemplateURL. */
function nestedTemplateFile(resource: any, assetFiles: Map<string, string>): string | undefined {
  const declared = resource.Metadata?.[ASSET_PATH_METADATA];
  if (typeof declared === 'string' && resource.Metadata?.[ASSET_PROPERTY_METADATA] === 'TemplateURL') {
    return declared;
  }
  const url = resource.Properties?.TemplateURL;
  const parts: unknown[] = typeof url === 'string' ? [url] : Array.isArray(url?.['Fn::Join']?.[1]) ? url['Fn::Join'][1] : [];
  const last = parts[parts.length - 1];
  const key = typeof last === 'string' ? last.split('/').pop() : undefined;
  return key === undefined ? undefined : assetFiles.get(key);
}

/** Metadata entries by construct path: inline in the manifest, in the stack's additional metadata file, or both. */
function readStackMetadata(dir: string, artifact: any): Record<string, any[]> {
  const merged: Record<string, any[]> = {};
  const add = (source: Record<string, any> | undefined) => {
    for (const [p, entries] of Object.entries(source ?? {})) {
      merged[p] = [...(merged[p] ?? []), ...(Array.isArray(entries) ? entries : [])];
    }
  };
  add(artifact.metadata);
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(dir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) {
      const data = readJson(file);
      if (!isObject(data)) {
        throw new ReportInputError(`${display(file)} must hold an object of construct path to metadata entries (got ${kindOf(data)}).`);
      }
      add(data);
    }
  }
  return merged;
}

function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ReportInputError(`${display(file)} cannot be read: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new ReportInputError(`${display(file)} is not valid JSON: ${e.message}`);
  }
}

/**
 * A template file, checked for the shape the report reads: an object whose `Resources` (when present) map logical ids
 * to objects with a string `Type` and, when present, object `Properties` and `Metadata`.
 */
function readTemplate(file: string): any {
  const template = readJson(file);
  const problem = templateProblem(template);
  if (problem !== undefined) {
    throw new ReportInputError(`${display(file)} is not a CloudFormation template: ${problem}.`);
  }
  return template;
}

function templateProblem(template: any): string | undefined {
  if (!isObject(template)) {
    return `it must hold a JSON object (got ${kindOf(template)})`;
  }
  for (const section of ['Resources', 'Outputs', 'Parameters', 'Conditions', 'Mappings']) {
    if (template[section] !== undefined && !isObject(template[section])) {
      return `"${section}" must be an object (got ${kindOf(template[section])})`;
    }
  }
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (!isObject(resource)) {
      return `resource ${logicalId} must be an object (got ${kindOf(resource)})`;
    }
    if (typeof resource.Type !== 'string') {
      return `resource ${logicalId} has no string "Type" (got ${kindOf(resource.Type)})`;
    }
    for (const key of ['Properties', 'Metadata']) {
      if (resource[key] !== undefined && !isObject(resource[key])) {
        return `"${key}" of resource ${logicalId} must be an object (got ${kindOf(resource[key])})`;
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What a JSON value is, for messages: `null`, `an array`, `a string`… */
function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'nothing';
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function trimSlash(constructPath: string): string {
  return constructPath.startsWith('/') ? constructPath.slice(1) : constructPath;
}

/** A file name for messages: relative to the working directory when inside it, else absolute. */
function display(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r && !r.startsWith('..') ? r : file;
}
