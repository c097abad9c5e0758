import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { run } from './helpers';
import { AnnotationPolicy, TracedFunction, XRayChecks } from '../../src';
import { checkAssembly } from '../../src/checks/assembly-findings';
import { ExitCode } from '../../src/cli/cdk-xray';
import { renderCheckSarif } from '../../src/cli/check-output';
import { readAssembly } from '../../src/template/read';
import { tempDir } from '../report/fixtures';
import { zipFunctionProps } from '../util';

/** The official SARIF 2.1.0 schema (JSON Schema draft-04), as @microsoft/jest-sarif ships it. */
function sarifValidator() {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(JSON.parse(fs.readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8')));
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  return ajv.compile(schema);
}

describe('cdk-xray check --format sarif', () => {
  const outdir = tempDir('cdk-xray-check-sarif-');
  let log: any;
  let code: number;
  beforeAll(() => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Orders');
    new TracedFunction(stack, 'Traced', zipFunctionProps());
    new lambda.Function(stack, 'Plain', zipFunctionProps());
    const job = new lambda.Function(stack, 'Job', zipFunctionProps());
    Validations.of(job).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: 'Nightly job, traced by its caller.' });
    new XRayChecks(app); // not registered: the check runs after synthesis
    app.synth();
    const result = run(['check', outdir, '--format', 'sarif']);
    code = result.code;
    log = JSON.parse(result.stdout);
  });

  test('is valid SARIF 2.1.0 (the official schema)', () => {
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(code).toBe(ExitCode.FINDINGS);
  });

  test('tool.driver lists every rule of the pack with its description, help and level', () => {
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('cdk-xray');
    expect(driver.rules.map((r: any) => r.id)).toEqual(XRayChecks.packRuleIds());
    expect(driver.rules.find((r: any) => r.id === 'XRay-LambdaFunctionUntraced')).toMatchObject({
      shortDescription: { text: expect.stringMatching(/./) },
      help: { text: expect.stringMatching(/./) },
      defaultConfiguration: { level: 'error' },
    });
  });

  test('a result per finding: rule, level, message, the template and line of the resource, its construct path', () => {
    const results = log.runs[0].results;
    const plain = results.find((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === 'Orders/Plain/Resource');
    const template = fs.readFileSync(path.join(outdir, 'Orders.template.json'), 'utf8').split('\n');
    const logicalId = plain.locations[0].logicalLocations[0].name;
    expect(plain).toMatchObject({
      ruleId: 'XRay-LambdaFunctionUntraced',
      level: 'error',
      message: { text: expect.stringMatching(/./) },
      properties: { findingId: 'XRay-LambdaFunctionUntraced', stackId: 'Orders' },
    });
    expect(log.runs[0].tool.driver.rules[plain.ruleIndex].id).toBe('XRay-LambdaFunctionUntraced');
    expect(plain.suppressions).toBeUndefined();
    const location = plain.locations[0].physicalLocation;
    expect(location.artifactLocation).toEqual({ uri: 'Orders.template.json', uriBaseId: 'CDK_ASSEMBLY' });
    expect(template[location.region.startLine - 1].trim()).toBe(`"${logicalId}": {`);
    expect(log.runs[0].originalUriBaseIds.CDK_ASSEMBLY.uri).toBe(`file://${outdir}/`);
  });

  test('acknowledged findings are results with an external suppression carrying the reason', () => {
    const job = log.runs[0].results.find((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === 'Orders/Job/Resource');
    expect(job.suppressions).toEqual([{ kind: 'external', justification: 'Nightly job, traced by its caller.' }]);
  });

  test('under the working directory, template URIs are relative to it (cdk.out/Orders.template.json)', () => {
    const cwd = path.dirname(outdir);
    const findings = checkAssembly(readAssembly(outdir), { policy: new AnnotationPolicy({ allowUndeclaredKeys: true }) });
    const sarif = JSON.parse(renderCheckSarif({ assembly: outdir, findings, warningsFail: false, fails: true, version: '1.2.3' }, cwd));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation)
      .toEqual({ uri: `${path.basename(outdir)}/Orders.template.json`, uriBaseId: '%SRCROOT%' });
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
  });
});
