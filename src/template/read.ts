import * as fs from 'fs';
import * as path from 'path';
import { acknowledgmentsOf, ACKNOWLEDGED_RULES_METADATA } from './acknowledgments';
import { PATH_METADATA, TemplateModel, TemplateStack } from './model';

/**
 * Reads the templates of a synthesis into a `TemplateModel`: a whole cloud assembly directory (`cdk.out`, as `cdk synth`
 * writes it for an app in any language), or the template files a synthesis hands to its validation plugins. Both read a
 * stack the same way: its artifact in the `manifest.json` of the template's directory (names, environment, metadata
 * with construct paths and acknowledgments), its template, and its nested stacks' templates.
 *
 * Only the assembly's own files are read; nothing is synthesized and no AWS account is needed.
 */

/** A problem with the files the model is read from; the message says which file and what to do. */
export class TemplateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}

/** One template file a synthesis wrote, with what the synthesis says about its stack (aws-cdk-lib's `stackTemplates`). */
export interface TemplateSource {
  /** The template file. */
  readonly templatePath: string;
  /** The stack's construct path, when known. */
  readonly stackPath?: string;
  /** The stack's account, when known at synthesis. */
  readonly account?: string;
  /** The stack's Region, when known at synthesis. */
  readonly region?: string;
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const LOGICAL_ID_METADATA = 'aws:cdk:logicalId';
const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';
const ASSET_PATH_METADATA = 'aws:asset:path';
const ASSET_PROPERTY_METADATA = 'aws:asset:property';
const UNKNOWN_ACCOUNT = 'unknown-account';
const UNKNOWN_REGION = 'unknown-region';

/**
 * Reads every stack template of the cloud assembly in `directory`, descending into the nested assemblies that Stages
 * produce and into nested stacks. Throws `TemplateInputError` for a directory that is no assembly or a file that cannot
 * be read.
 */
export function readAssembly(directory: string): TemplateModel {
  const root = path.resolve(directory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new TemplateInputError(`${directory} is not a directory. Pass the cloud assembly directory that \`cdk synth\` writes (usually cdk.out).`);
  }
  const stacks: TemplateStack[] = [];
  readAssemblyDir(root, root, stacks, new Set());
  return modelOf(root, stacks, directory);
}

/**
 * Reads the given template files (the stacks a validation plugin is given) and their nested stacks. A file with a stack
 * artifact in the `manifest.json` of its directory is read as `readAssembly` reads it; any other file as a stack of its
 * own, named by its file name, with the construct path and environment its source gives.
 */
export function readTemplateFiles(sources: readonly TemplateSource[]): TemplateModel {
  const files = sources.map(s => ({ ...s, templatePath: path.resolve(s.templatePath) }));
  const root = commonDirectory(files.map(f => path.dirname(f.templatePath)));
  const manifests = new Map<string, { artifacts: Record<string, any>; assetFiles: Map<string, string> } | undefined>();
  const manifestOf = (dir: string) => {
    if (!manifests.has(dir)) {
      const file = path.join(dir, 'manifest.json');
      const manifest = fs.existsSync(file) ? checkedManifest(file, readJson(file)) : undefined;
      const artifacts: Record<string, any> = manifest?.artifacts ?? {};
      manifests.set(dir, manifest === undefined ? undefined : { artifacts, assetFiles: assetFilesOf(dir, artifacts) });
    }
    return manifests.get(dir);
  };
  const stacks: TemplateStack[] = [];
  for (const source of files) {
    const dir = path.dirname(source.templatePath);
    const manifest = manifestOf(dir);
    const found = Object.entries(manifest?.artifacts ?? {}).find(([, a]) => a?.type === STACK_ARTIFACT
      && typeof a.properties?.templateFile === 'string' && path.resolve(dir, a.properties.templateFile) === source.templatePath);
    const stack = found !== undefined
      ? readStack(root, dir, found[0], found[1], source)
      : fileStack(root, source);
    stacks.push(stack, ...nestedStacks(root, dir, stack, manifest?.assetFiles ?? new Map(), 0));
  }
  return modelOf(root, stacks, root);
}

function modelOf(root: string, stacks: TemplateStack[], given: string): TemplateModel {
  const seen = new Map<string, number>();
  for (const s of stacks) {
    seen.set(s.stackId, (seen.get(s.stackId) ?? 0) + 1);
  }
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicates.length > 0) {
    throw new TemplateInputError(`${given}: stack artifact ids occur more than once across nested assemblies (${duplicates.join(', ')}).`);
  }
  return new TemplateModel(root, stacks);
}

/** The deepest directory holding all of `dirs`. */
function commonDirectory(dirs: string[]): string {
  if (dirs.length === 0) {
    return process.cwd();
  }
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (dir !== common && !dir.startsWith(common.endsWith(path.sep) ? common : `${common}${path.sep}`)) {
      const parent = path.dirname(common);
      if (parent === common) {
        return common;
      }
      common = parent;
    }
  }
  return common;
}

function readAssemblyDir(root: string, dir: string, stacks: TemplateStack[], visited: Set<string>): void {
  if (visited.has(dir)) {
    return;
  }
  visited.add(dir);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new TemplateInputError(`${display(manifestFile)} not found: ${dir === root ? 'the directory is not a cloud assembly' : 'nested assembly is incomplete'}. ` +
      'Run `cdk synth` (or your app with CDK_OUTDIR set) and pass the directory it writes (usually cdk.out).');
  }
  const manifest = checkedManifest(manifestFile, readJson(manifestFile));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const assetFiles = assetFilesOf(dir, artifacts);
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact?.type === STACK_ARTIFACT) {
      const stack = readStack(root, dir, id, artifact);
      stacks.push(stack, ...nestedStacks(root, dir, stack, assetFiles, 0));
    } else if (artifact?.type === NESTED_ASSEMBLY_ARTIFACT) {
      const nested = artifact.properties?.directoryName;
      if (typeof nested !== 'string') {
        throw new TemplateInputError(`${display(manifestFile)}: nested assembly ${id} names no directoryName.`);
      }
      readAssemblyDir(root, path.resolve(dir, nested), stacks, visited);
    }
  }
}

/** A manifest checked for the shape the reader relies on. */
function checkedManifest(manifestFile: string, manifest: unknown): Record<string, any> {
  if (!isObject(manifest)) {
    throw new TemplateInputError(`${display(manifestFile)} must hold a JSON object with "artifacts" (got ${kindOf(manifest)}). ` +
      'It is not a cloud assembly manifest; run `cdk synth` again and pass the directory it writes.');
  }
  if (manifest.artifacts !== undefined && !isObject(manifest.artifacts)) {
    throw new TemplateInputError(`${display(manifestFile)}: "artifacts" must be an object of artifact id to artifact (got ${kindOf(manifest.artifacts)}).`);
  }
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (!isObject(artifact)) {
      throw new TemplateInputError(`${display(manifestFile)}: artifact ${id} must be an object (got ${kindOf(artifact)}).`);
    }
    if (artifact.properties !== undefined && !isObject(artifact.properties)) {
      throw new TemplateInputError(`${display(manifestFile)}: the properties of artifact ${id} must be an object (got ${kindOf(artifact.properties)}).`);
    }
  }
  return manifest;
}

/** The account and Region of an `aws://account/region` environment, each undefined when unknown. */
function parseEnvironment(environment: unknown): { account?: string; region?: string } {
  const match = typeof environment === 'string' ? /^aws:\/\/([^/]*)\/(.*)$/.exec(environment) : null;
  if (match === null) {
    return {};
  }
  return {
    ...(match[1] !== UNKNOWN_ACCOUNT && match[1] !== '' ? { account: match[1] } : {}),
    ...(match[2] !== UNKNOWN_REGION && match[2] !== '' ? { region: match[2] } : {}),
  };
}

function readStack(root: string, dir: string, id: string, artifact: any, source?: TemplateSource): TemplateStack {
  const props = artifact.properties ?? {};
  if (typeof props.templateFile !== 'string') {
    throw new TemplateInputError(`${display(path.join(dir, 'manifest.json'))}: stack ${id} names no templateFile.`);
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
        // Whichever form the aws-cdk-lib version recorded (`annotation::`, `Annotation::`, `XRay::` or none).
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
  const environment = typeof artifact.environment === 'string' ? artifact.environment : undefined;
  const stackPath = source?.stackPath ?? (typeof artifact.displayName === 'string' ? artifact.displayName : undefined);
  const { account, region } = source?.account !== undefined || source?.region !== undefined ? source : parseEnvironment(environment);
  return {
    stackId: id,
    ...(stackPath !== undefined ? { path: stackPath } : {}),
    displayName,
    stackName: typeof props.stackName === 'string' ? props.stackName : id,
    ...(environment !== undefined ? { environment } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(region !== undefined ? { region } : {}),
    templateFile: path.relative(root, templateFile),
    template,
    resourcePaths: paths,
    acknowledgments,
    nestedPaths,
  };
}

/** A template file with no stack artifact beside it: a stack named after the file. */
function fileStack(root: string, source: TemplateSource): TemplateStack {
  const template = readTemplate(source.templatePath);
  const stackId = path.basename(source.templatePath).replace(/(\.nested)?\.template\.json$/, '');
  const { paths } = withPaths(template, {});
  return {
    stackId,
    ...(source.stackPath !== undefined ? { path: source.stackPath } : {}),
    displayName: source.stackPath ?? stackId,
    stackName: stackId,
    environment: `aws://${source.account ?? UNKNOWN_ACCOUNT}/${source.region ?? UNKNOWN_REGION}`,
    ...(source.account !== undefined ? { account: source.account } : {}),
    ...(source.region !== undefined ? { region: source.region } : {}),
    templateFile: path.relative(root, source.templatePath),
    template,
    resourcePaths: paths,
    acknowledgments: {},
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
function nestedStacks(root: string, dir: string, parent: TemplateStack, assetFiles: Map<string, string>, depth: number): TemplateStack[] {
  if (depth > 10) {
    return [];
  }
  const found: TemplateStack[] = [];
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
    const stack: TemplateStack = {
      stackId: path.basename(file).replace(/(\.nested)?\.template\.json$/, ''),
      ...(constructPath !== undefined ? { path: constructPath } : {}),
      displayName: `${parent.displayName}/${constructPath === undefined ? logicalId : constructPath.split('/').pop()}`,
      stackName: `${parent.stackName}-${logicalId}`,
      ...(parent.environment !== undefined ? { environment: parent.environment } : {}),
      ...(parent.account !== undefined ? { account: parent.account } : {}),
      ...(parent.region !== undefined ? { region: parent.region } : {}),
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
        throw new TemplateInputError(`${display(file)} must hold an object of construct path to metadata entries (got ${kindOf(data)}).`);
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
    throw new TemplateInputError(`${display(file)} cannot be read: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new TemplateInputError(`${display(file)} is not valid JSON: ${e.message}`);
  }
}

/**
 * A template file, checked for the shape the readers rely on: an object whose `Resources` (when present) map logical
 * ids to objects with a string `Type` and, when present, object `Properties` and `Metadata`.
 */
function readTemplate(file: string): any {
  const template = readJson(file);
  const problem = templateProblem(template);
  if (problem !== undefined) {
    throw new TemplateInputError(`${display(file)} is not a CloudFormation template: ${problem}.`);
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
