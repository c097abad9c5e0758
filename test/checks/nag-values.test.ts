import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as nag from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../../src/checks/nag-values';

describe('cdk-nag values for the code cdk-xray runs', () => {
  test('are cdk-nag\'s own', () => {
    expect({ ...NagRuleCompliance }).toEqual({ ...nag.NagRuleCompliance });
    expect({ ...NagMessageLevel }).toEqual({ ...nag.NagMessageLevel });
  });

  test('cdk-xray check and report load neither cdk-nag nor aws-cdk-lib\'s service modules (compiled library)', () => {
    const cli = path.join(__dirname, '..', '..', 'lib', 'cli', 'cdk-xray.js');
    expect(fs.existsSync(cli)).toBe(true); // the suite runs after `npx projen compile`
    const probe = `require(${JSON.stringify(cli)});` +
      'const loaded = Object.keys(require.cache);' +
      'console.log(JSON.stringify({ nag: loaded.filter(f => f.includes("/node_modules/cdk-nag/")).length,' +
      ' services: loaded.filter(f => /\\/aws-cdk-lib\\/aws-[^/]+\\//.test(f)).map(f => f.split("/aws-cdk-lib/")[1].split("/")[0]) }));';
    const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const { nag: nagFiles, services } = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(nagFiles).toBe(0);
    expect([...new Set(services)]).toEqual([]);
  });
});
