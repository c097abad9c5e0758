import { TemplateModel } from '../template/model';
import { readAssembly, TemplateInputError } from '../template/read';

/**
 * How `cdk-xray report` reads its input: the cloud assembly (`cdk.out`) as the one template model (`src/template/`),
 * the same model `XRayChecks` reads during synthesis. Only the assembly's own files are read; nothing is synthesized
 * and no AWS account is needed.
 */

/** A problem with the files the report reads or the options it is given; the CLI prints the message and exits with code 3. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/**
 * Reads every stack template of the cloud assembly in `directory`, nested Stage assemblies and nested stacks
 * included. Construct paths come from the templates' `aws:cdk:path` metadata, else from the stacks' `aws:cdk:logicalId`
 * metadata. Throws `ReportInputError` for input it cannot read.
 */
export function readCloudAssembly(directory: string): TemplateModel {
  try {
    return readAssembly(directory);
  } catch (e) {
    if (e instanceof TemplateInputError) {
      throw new ReportInputError(e.message);
    }
    throw e;
  }
}

/**
 * An assembly held in memory, from templates by stack id (e.g. `Template.fromStack(stack).toJSON()` in a unit test).
 * Paths come only from the templates' `aws:cdk:path` metadata.
 */
export function assemblyOfTemplates(templates: Record<string, any>): TemplateModel {
  return TemplateModel.ofTemplates(templates);
}
