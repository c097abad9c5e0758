import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir, writeAssembly } from './fixtures';
import { Command, ExitCode, main, parseArgs, USAGE } from '../../src/cli/cdk-xray';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPILED = path.join(ROOT, 'lib', 'cli', 'cdk-xray.js');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { code, stdout, stderr };
}

/** An app with one traced and one untraced function behind queues, and a sampling rule. */
const ASSEMBLY = writeAssembly({
  Orders: {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } },
      Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'orders-api', Priority: 100, FixedRate: 0.05, ReservoirSize: 2 } } },
    },
  },
});

describe('arguments', () => {
  test.each([
    [[], 'no command given.'],
    [['repot', 'cdk.out'], 'unknown command "repot"; the commands are `report` and `check`.'],
    [['report'], 'report needs the cloud assembly directory, e.g. `cdk-xray report cdk.out`.'],
    [['report', 'a', 'b'], 'report takes one cloud assembly directory (got "a", "b").'],
    [['report', 'a', '--format', 'yaml'], '--format must be text or json (got "yaml").'],
    [['report', 'a', '--format'], '--format needs a value.'],
    [['report', 'a', '--html', '--strict'], '--html needs a value.'],
    [['report', 'a', '--color'], 'unknown option "--color".'],
    [['report', 'a', '--strict=yes'], '--strict takes no value (got "--strict=yes").'],
    [['report', 'a', '--rps', 'api'], '--rps takes <sampling rule name>=<number>, e.g. --rps orders-api=150 (got "api").'],
    [['report', 'a', '--rps', 'api=fast'], '--rps takes <sampling rule name>=<number>, e.g. --rps orders-api=150 (got "api=fast").'],
    [['report', 'a', '--rps=api=-1'], '--rps api=-1: requests per second must be from 0 to 1000000000.'],
    [['report', 'a', '--rps=api=1e305'], '--rps api=1e305: requests per second must be from 0 to 1000000000.'],
    [['report', 'a', '--error-ratio', 'api=2'], '--error-ratio api=2: the ratio must be between 0 and 1, e.g. 0.01 for 1 %.'],
    [['report', 'a', '--scanned', 'lots'], '--scanned must be a number of traces per month from 0 to 10000000000000000 (got "lots").'],
    // Unknown flags, named as written
    [['report', 'a', '--color=red'], 'unknown option "--color".'],
    [['report', 'a', '-x'], 'unknown option "-x".'],
    [['report', 'a', '-hx'], 'unknown option "-hx".'],
    [['report', 'a', '--=x'], 'unknown option "--=x".'],
    [['report', 'a', '--constructor'], 'unknown option "--constructor".'],
    // Missing values: at the end, before another flag, before `--`, empty
    [['report', 'a', '--rps'], '--rps needs a value.'],
    [['report', 'a', '--traffic', '--no-mermaid'], '--traffic needs a value.'],
    [['report', 'a', '--stack', '--'], '--stack needs a value.'],
    [['report', 'a', '--html', ''], '--html needs a value.'],
    // A value starting with "-" as a separate argument: a bad value is named as one; another is to be attached with =
    [['report', 'a', '--retrieved', '-1'], '--retrieved must be a number of traces per month from 0 to 10000000000000000 (got "-1").'],
    [['report', 'a', '--format', '-x'], '--format must be text or json (got "-x").'],
    [['report', 'a', '--html', '-x'], '--html needs a value (got "-x", which reads as a flag). To pass it as the value, write --html=-x.'],
    // Switches take no value; --version comes before the command
    [['report', 'a', '--no-mermaid=1'], '--no-mermaid takes no value (got "--no-mermaid=1").'],
    [['report', 'a', '--help=1'], '--help takes no value (got "--help=1").'],
    [['report', 'a', '--version'], '--version cannot follow a command; use `cdk-xray --version`.'],
    // Of several mistakes, the first on the command line
    [['report', 'a', '--format', 'yaml', '--color'], '--format must be text or json (got "yaml").'],
    [['report', 'a', '--color', '--format', 'yaml'], 'unknown option "--color".'],
    [['report', '--color', 'a', 'b'], 'unknown option "--color".'],
    // After `--`, every argument is a positional
    [['report', '--', 'a', '--strict'], 'report takes one cloud assembly directory (got "a", "--strict").'],
    [['report', 'a', '--', '--help'], 'report takes one cloud assembly directory (got "a", "--help").'],
  ])('%j is a usage error: %s', (args, message) => {
    expect(() => parseArgs(args)).toThrow(message);
    const result = run(args);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toBe(`cdk-xray: ${message}\nRun \`cdk-xray --help\` for usage.\n`);
    expect(result.stdout).toBe('');
  });

  // Validated flags: bad value, the boundary (the limit passes, one past it fails). Tokens do not exist on a command line.
  test.each<[string, string[], string | null]>([
    ['--rps boundary: 0 passes', ['--rps', 'a=0'], null],
    ['--rps boundary: 1000000000 passes', ['--rps', 'a=1000000000'], null],
    ['--rps boundary: 1000000001 fails', ['--rps', 'a=1000000001'], '--rps a=1000000001: requests per second must be from 0 to 1000000000.'],
    ['--error-ratio boundary: 0 passes', ['--rps', 'a=1', '--error-ratio', 'a=0'], null],
    ['--error-ratio boundary: 1 passes', ['--rps', 'a=1', '--error-ratio', 'a=1'], null],
    ['--error-ratio boundary: 1.01 fails', ['--error-ratio', 'a=1.01'], '--error-ratio a=1.01: the ratio must be between 0 and 1, e.g. 0.01 for 1 %.'],
    ['--error-ratio bad: no rule', ['--error-ratio', '=0.1'], '--error-ratio takes <sampling rule name>=<number>, e.g. --error-ratio orders-api=0.01 (got "=0.1").'],
    ['--retrieved boundary: 0 passes', ['--retrieved', '0'], null],
    ['--retrieved boundary: 1e16 passes', ['--retrieved', '1e16'], null],
    ['--retrieved boundary: 2e16 fails', ['--retrieved', '2e16'], '--retrieved must be a number of traces per month from 0 to 10000000000000000 (got "2e16").'],
    ['--retrieved bad: -1', ['--retrieved=-1'], '--retrieved must be a number of traces per month from 0 to 10000000000000000 (got "-1").'],
    ['--scanned boundary: 1e16 passes', ['--scanned', '1e16'], null],
    ['--scanned boundary: 1.1e16 fails', ['--scanned', '1.1e16'], '--scanned must be a number of traces per month from 0 to 10000000000000000 (got "1.1e16").'],
    ['--format boundary: json passes', ['--format', 'json'], null],
    ['--html bad: empty', ['--html='], '--html needs a value.'],
    ['--traffic bad: empty', ['--traffic='], '--traffic needs a value.'],
    ['--stack bad: empty', ['--stack='], '--stack needs a value.'],
  ])('%s', (_, flags, error) => {
    if (error === null) {
      expect(parseArgs(['report', 'cdk.out', ...flags]).kind).toBe('report');
    } else {
      expect(() => parseArgs(['report', 'cdk.out', ...flags])).toThrow(error);
    }
  });

  test('flags in both spellings, repeated where they can be', () => {
    expect(parseArgs(['report', 'out', '--format=json', '--strict', '--html', 'r.html', '--stack', 'A', '--stack=B', '--rps', 'a=1', '--rps', 'b=2.5',
      '--error-ratio', 'a=0.1', '--retrieved', '10', '--scanned=20', '--no-insights', '--traffic', 't.json', '--no-mermaid'])).toEqual({
      kind: 'report',
      assembly: 'out',
      format: 'json',
      strict: true,
      html: 'r.html',
      stacks: ['A', 'B'],
      trafficFile: 't.json',
      mermaid: false,
      overrides: {
        requestsPerSecond: new Map([['a', 1], ['b', 2.5]]),
        errorRatio: new Map([['a', 0.1]]),
        retrievedTracesPerMonth: 10,
        scannedTracesPerMonth: 20,
        insightsEnabled: false,
      },
    });
  });

  test('--flag=value takes any value, one starting with "-" too; `--` ends the flags; a lone "-" is a positional', () => {
    const report = (...args: string[]) => parseArgs(['report', ...args]) as Extract<Command, { kind: 'report' }>;
    expect(report('a', '--html=-x', '--stack=--y', '--traffic=t=1.json')).toMatchObject({ assembly: 'a', html: '-x', stacks: ['--y'], trafficFile: 't=1.json' });
    expect(report('--', '--strict')).toMatchObject({ assembly: '--strict', strict: false });
    expect(report('--strict', '--', '-')).toMatchObject({ assembly: '-', strict: true });
    expect(report('a', '--')).toMatchObject({ assembly: 'a' });
    expect(report('-')).toMatchObject({ assembly: '-' });
  });

  test('of a repeated flag the last wins, unless it is repeatable', () => {
    const report = (...args: string[]) => parseArgs(['report', 'a', ...args]) as Extract<Command, { kind: 'report' }>;
    expect(report('--format', 'json', '--format=text').format).toBe('text');
    expect(report('--html', 'a.html', '--html', 'b.html').html).toBe('b.html');
    expect(report('--insights', '--no-insights').overrides.insightsEnabled).toBe(false);
    expect(report('--no-insights', '--insights').overrides.insightsEnabled).toBe(true);
    expect(report('--retrieved', '1', '--retrieved', '2').overrides.retrievedTracesPerMonth).toBe(2);
    expect(report('--rps', 'x=1', '--rps', 'y=3', '--rps', 'x=2').overrides.requestsPerSecond).toEqual(new Map([['x', 2], ['y', 3]]));
    expect(report('--strict', '--strict').strict).toBe(true);
  });

  test.each([
    [['--help']], [['-h']], [['help']], [['help', 'report']], [['report', '--help']], [['report', 'a', '--color', '-h']],
    [['report', 'a', '--stack', '--help']], [['repot', '--help']], [['--version', '--help']],
  ])('%j asks for help: --help or -h anywhere before `--`', args => {
    expect(parseArgs(args)).toEqual({ kind: 'help' });
  });

  test('--version is the first argument', () => {
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseArgs(['--version', 'report'])).toEqual({ kind: 'version' });
  });

  test('--help prints the usage with every flag and the exit codes', () => {
    const result = run(['report', '--help']);
    expect(result).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    for (const flag of ['--format', '--strict', '--html', '--stack', '--traffic', '--rps', '--error-ratio', '--retrieved', '--scanned', '--insights', '--no-mermaid']) {
      expect(USAGE).toContain(flag);
    }
    expect(USAGE).toContain('Exit codes: 0 clean (check) or report printed; 1 findings at a failing level (check, report --strict); 2 usage error;');
  });
});

describe('report command', () => {
  test('text report on stdout, exit 0', () => {
    const result = run(['report', ASSEMBLY]);
    expect(result.code).toBe(ExitCode.OK);
    expect(result.stdout).toContain(`X-Ray trace report of ${ASSEMBLY}\n\nStack Orders (`);
    expect(result.stdout).toMatch(/Sampling rules: 1 .*\n.*\n.*\n +100 +orders-api +2 +5\.00% +everything/);
    expect(result.stderr).toBe('');
  });

  test('cost for a traffic file with command-line overrides, in text and JSON', () => {
    const traffic = path.join(tempDir(), 'traffic.json');
    fs.writeFileSync(traffic, JSON.stringify({ rules: { 'orders-api': { requestsPerSecond: 10 } }, retrievedTracesPerMonth: 2000000 }));
    const text = run(['report', ASSEMBLY, '--traffic', traffic, '--rps', 'orders-api=150', '--error-ratio', 'orders-api=0.01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Estimated monthly X-Ray cost (traffic: ${traffic} + command line; all stacks, one account and Region):`);
    expect(text.stdout).toMatch(/orders-api +401,760,000 +25,176,960 +251,770 +6\.27%/);
    const json = JSON.parse(run(['report', ASSEMBLY, '--format', 'json', '--traffic', traffic, '--rps', 'orders-api=150']).stdout);
    expect(json.cost).toMatchObject({ source: `${traffic} + command line`, tracesRetrievedPerMonth: 2000000 });
    expect(json.cost.rules).toEqual([expect.objectContaining({ name: 'orders-api', stackId: 'Orders', requestsPerSecond: 150 })]);
    expect(json.cost.monthlyCostUsd).toBeCloseTo((25176960 - 100000) * 5 / 1e6 + 1000000 * 0.5 / 1e6, 6);
  });

  test('unusable inputs exit with 3 and say what to do', () => {
    const missing = run(['report', '/nonexistent/cdk.out']);
    expect(missing.code).toBe(ExitCode.INPUT);
    expect(missing.stderr).toMatch(/^cdk-xray: \/nonexistent\/cdk\.out is not a directory\. Pass the cloud assembly directory/);
    const rule = run(['report', ASSEMBLY, '--rps', 'orders=1']);
    expect(rule.code).toBe(ExitCode.INPUT);
    expect(rule.stderr).toContain('no sampling rule named "orders" in the assembly (rules: orders-api)');
    const badTraffic = path.join(tempDir(), 't.json');
    fs.writeFileSync(badTraffic, '{');
    expect(run(['report', ASSEMBLY, '--traffic', badTraffic]).stderr).toContain(`the traffic profile ${badTraffic} is not valid JSON`);
    expect(run(['report', ASSEMBLY, '--stack', 'Nope']).stderr).toBe('cdk-xray: No stack named Nope in the assembly. Stacks: Orders.\n');
  });

  test('--html writes the HTML report and says so on stderr', () => {
    const file = path.join(tempDir(), 'nested', 'report.html');
    const result = run(['report', ASSEMBLY, '--format', 'json', '--html', file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).schemaVersion).toBe(2);
    expect(result.stderr).toBe(`HTML report written to ${file}\n`);
    expect(fs.readFileSync(file, 'utf8')).toContain('<svg class="service-map"');
  });
});

describe('unusable assemblies exit with 3 and say what is wrong, never 4', () => {
  /** An assembly of one valid stack, then `mutate` applied to the files of its directory. */
  function broken(mutate: (dir: string) => void): string {
    const dir = writeAssembly({ Orders: { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } } } } });
    mutate(dir);
    return dir;
  }
  const write = (file: string, text: string) => (dir: string) => fs.writeFileSync(path.join(dir, file), text);
  const manifest = (edit: (m: any) => void) => (dir: string) => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    edit(m);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  };

  test.each<[string, (dir: string) => void, RegExp]>([
    ['manifest.json holding null', write('manifest.json', 'null'), /manifest\.json must hold a JSON object with "artifacts" \(got null\)\. It is not a cloud assembly manifest/],
    ['manifest.json holding an array', write('manifest.json', '[]'), /manifest\.json must hold a JSON object with "artifacts" \(got an array\)/],
    ['manifest.json holding a number', write('manifest.json', '3'), /manifest\.json must hold a JSON object with "artifacts" \(got a number\)/],
    ['manifest.json that is not JSON', write('manifest.json', '{"artifacts":'), /manifest\.json is not valid JSON/],
    ['artifacts that are a list', manifest(m => { m.artifacts = []; }), /"artifacts" must be an object of artifact id to artifact \(got an array\)/],
    ['an artifact that is null', manifest(m => { m.artifacts.Orders = null; }), /artifact Orders must be an object \(got null\)/],
    ['artifact properties that are a string', manifest(m => { m.artifacts.Orders.properties = 'x'; }), /the properties of artifact Orders must be an object \(got a string\)/],
    ['a stack without templateFile', manifest(m => { m.artifacts.Orders.properties = {}; }), /stack Orders names no templateFile/],
    ['a missing template', dir => fs.rmSync(path.join(dir, 'Orders.template.json')), /Orders\.template\.json cannot be read/],
    ['a template that is not JSON', write('Orders.template.json', '{"Resources": {'), /Orders\.template\.json is not valid JSON/],
    ['a template that is null', write('Orders.template.json', 'null'), /Orders\.template\.json is not a CloudFormation template: it must hold a JSON object \(got null\)\./],
    ['a template that is an array', write('Orders.template.json', '[]'), /is not a CloudFormation template: it must hold a JSON object \(got an array\)/],
    ['Resources that are a list', write('Orders.template.json', '{"Resources": []}'), /is not a CloudFormation template: "Resources" must be an object \(got an array\)/],
    ['a resource that is null', write('Orders.template.json', '{"Resources": {"Fn": null}}'), /resource Fn must be an object \(got null\)/],
    ['a resource without Type', write('Orders.template.json', '{"Resources": {"Fn": {"Properties": {}}}}'), /resource Fn has no string "Type" \(got nothing\)/],
    ['Properties that are a string', write('Orders.template.json', '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": "x"}}}'),
      /"Properties" of resource Fn must be an object \(got a string\)/],
    ['a metadata file holding null', dir => {
      manifest(m => { m.artifacts.Orders.additionalMetadataFile = 'Orders.metadata.json'; })(dir);
      fs.writeFileSync(path.join(dir, 'Orders.metadata.json'), 'null');
    }, /Orders\.metadata\.json must hold an object of construct path to metadata entries \(got null\)/],
  ])('%s', (_, mutate, message) => {
    // GIVEN
    const dir = broken(mutate);
    // WHEN
    const result = run(['report', dir]);
    // THEN
    expect(result.stderr).toMatch(new RegExp(`^cdk-xray: .*${message.source}`));
    expect(result.code).toBe(ExitCode.INPUT);
    expect(result.stdout).toBe('');
  });
});

test('a task definition whose ContainerDefinitions is not a list is reported, not an internal error', () => {
  const dir = writeAssembly({ Tasks: { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: 5 } } } } });
  const result = run(['report', dir, '--format', 'json']);
  expect(result.code).toBe(ExitCode.OK);
  expect(JSON.parse(result.stdout).stacks[0].nodes).toEqual([expect.objectContaining({ logicalId: 'Task', details: [] })]);
});

test('the cost estimate counts Insights when a group of the assembly has it on, unless --no-insights says otherwise', () => {
  // GIVEN
  const dir = writeAssembly({
    Obs: {
      Resources: {
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'all', Priority: 1, FixedRate: 1, ReservoirSize: 0 } } },
        Errors: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'errors', FilterExpression: 'fault', InsightsConfiguration: { InsightsEnabled: true } } },
      },
    },
  });
  // WHEN
  const cost = (flags: string[]) => JSON.parse(run(['report', dir, '--format', 'json', '--rps', 'all=1', ...flags]).stdout).cost;
  // THEN: 1 request/s, all recorded: 2,678,400 traces, Insights $1.00 per million
  expect(cost([]).insightsCostUsd).toBeCloseTo(2.6784, 6);
  expect(cost(['--no-insights']).insightsCostUsd).toBe(0);
});

describe('acknowledgments in the assembly, as every aws-cdk-lib version records them', () => {
  test.each(['XRay-TraceHttpApiEntry', 'annotation::XRay-TraceHttpApiEntry', 'Annotation::XRay-TraceHttpApiEntry', 'XRay::XRay-TraceHttpApiEntry'])(
    '%s acknowledges the finding (--strict exits 0)', recorded => {
      // GIVEN: an HTTP API in front of a traced function, acknowledged on the stack
      const dir = writeAssembly({
        Shop: {
          Resources: {
            Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'shop', ProtocolType: 'HTTP' }, Metadata: { 'aws:cdk:path': 'Shop/Http/Resource' } },
            Integration: {
              Type: 'AWS::ApiGatewayV2::Integration',
              Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' },
            },
            Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } },
          },
        },
      });
      const file = path.join(dir, 'manifest.json');
      const m = JSON.parse(fs.readFileSync(file, 'utf8'));
      m.artifacts.Shop.metadata = { '/Shop': [{ type: 'aws:cdk:acknowledged-rules', data: { [recorded]: 'The API is retired next month.' } }] };
      fs.writeFileSync(file, JSON.stringify(m));
      // WHEN
      const result = run(['report', dir, '--strict', '--format', 'json']);
      // THEN
      expect(JSON.parse(result.stdout).stacks[0].findings).toEqual([expect.objectContaining({
        rule: 'XRay-TraceHttpApiEntry', acknowledged: 'The API is retired next month.',
      })]);
      expect(result.code).toBe(ExitCode.OK);
    });
});

describe('resource types the trace graph does not model are listed, per stack', () => {
  const dir = writeAssembly({
    Data: {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } },
        BucketA: { Type: 'AWS::S3::Bucket' },
        BucketB: { Type: 'AWS::S3::Bucket' },
        Logs: { Type: 'AWS::Logs::LogGroup' },
        CDKMetadata: { Type: 'AWS::CDK::Metadata' },
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'r', Priority: 1, FixedRate: 0.1, ReservoirSize: 1 } } },
      },
    },
    Empty: { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } } } },
  });

  test('in JSON: type and count, sorted by type', () => {
    const json = JSON.parse(run(['report', dir, '--format', 'json']).stdout);
    expect(json.stacks.map((s: any) => [s.stackId, s.notModelled])).toEqual([
      ['Data', [{ type: 'AWS::Logs::LogGroup', count: 1 }, { type: 'AWS::S3::Bucket', count: 2 }]],
      ['Empty', []],
    ]);
  });

  test('in text', () => {
    const text = run(['report', dir, '--no-mermaid']).stdout;
    expect(text).toContain('  Not modelled: 3 resource(s) of types the trace graph does not read\n    AWS::Logs::LogGroup (1)\n    AWS::S3::Bucket (2)\n');
    expect(text).toContain('  Not modelled: none\n');
  });

  test('in HTML', () => {
    const file = path.join(tempDir(), 'r.html');
    run(['report', dir, '--html', file]);
    expect(fs.readFileSync(file, 'utf8')).toContain('<td>AWS::S3::Bucket</td>');
  });
});

describe('the compiled command (lib/cli/cdk-xray.js, as npm installs it)', () => {
  const compiled = fs.existsSync(COMPILED);
  const itCompiled = compiled || process.env.CI ? test : test.skip;
  if (!compiled && !process.env.CI) {
    // eslint-disable-next-line no-console
    console.warn(`${COMPILED} is missing: run \`npx projen compile\` to test the compiled command.`);
  }

  itCompiled('starts with a node shebang', () => {
    expect(fs.readFileSync(COMPILED, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  /** An HTTP API in front of a traced function: X-Ray cannot trace the entry. */
  function assemblyWithFindings(acknowledged: boolean): string {
    const dir = writeAssembly({
      Shop: {
        Resources: {
          Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'shop', ProtocolType: 'HTTP' } },
          Integration: {
            Type: 'AWS::ApiGatewayV2::Integration',
            Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' },
          },
          Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: 'GET /', Target: 'integrations/x' } },
          Fn: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'Active' } } },
        },
      },
    });
    if (acknowledged) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      manifest.artifacts.Shop.metadata = {
        '/Shop/Http': [{ type: 'aws:cdk:logicalId', data: 'Http' }],
        '/Shop': [{ type: 'aws:cdk:acknowledged-rules', data: { 'annotation::XRay-TraceHttpApiEntry': 'The API is retired next month.' } }],
      };
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    }
    return dir;
  }

  itCompiled('report --strict and check: a Warning-level finding fails only check --warnings-fail, and not when acknowledged', () => {
    const node = (args: string[]) => spawnSync(process.execPath, [COMPILED, ...args], { encoding: 'utf8' });
    const withFindings = node(['report', assemblyWithFindings(false), '--strict']);
    expect(withFindings.stderr).toBe('');
    expect(withFindings.stdout).toContain('XRay-TraceHttpApiEntry (warning)');
    expect(withFindings.status).toBe(0);
    expect(node(['check', assemblyWithFindings(false)]).status).toBe(0);
    expect(node(['check', assemblyWithFindings(false), '--warnings-fail']).status).toBe(1);
    expect(node(['check', assemblyWithFindings(true), '--warnings-fail']).status).toBe(0);
    expect(node(['report', assemblyWithFindings(false)]).status).toBe(0);
    expect(node(['report', ASSEMBLY, '--strict']).status).toBe(0);
    const acked = node(['report', assemblyWithFindings(true), '--strict', '--format', 'json']);
    expect(acked.status).toBe(0);
    expect(JSON.parse(acked.stdout).stacks[0].findings).toEqual([
      expect.objectContaining({ rule: 'XRay-TraceHttpApiEntry', path: 'Shop/Http', acknowledged: 'The API is retired next month.' }),
    ]);
  });

  itCompiled('usage errors exit with 2; --version prints the package version', () => {
    const usage = spawnSync(process.execPath, [COMPILED, 'report'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('report needs the cloud assembly directory');
    const version = execFileSync(process.execPath, [COMPILED, '--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});
