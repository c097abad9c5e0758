import { AdotCollectorConfig } from '../../src';
import { collectorIndexing, templateText } from '../../src/template/collector-config';

describe('collectorIndexing: the keys a collector configuration indexes', () => {
  test('the YAML AdotCollectorConfig renders', () => {
    // GIVEN
    const yaml = new AdotCollectorConfig({ annotationKeys: ['tenant_tier', 'user_email'] }).render('eu-west-1');
    // THEN
    expect(collectorIndexing(yaml)).toEqual({ keys: ['tenant_tier', 'user_email'], indexAll: false });
  });

  test('an Fn::Join with deploy-time parts (the Region of an environment-agnostic stack)', () => {
    const value = { 'Fn::Join': ['', ['exporters:\n  awsxray:\n    region: "', { Ref: 'AWS::Region' }, '"\n    indexed_attributes:\n      - "tier"\n']] };
    expect(collectorIndexing(value)).toEqual({ keys: ['tier'], indexAll: false });
  });

  test('keys that are deploy-time values are skipped', () => {
    const value = { 'Fn::Join': ['', ['exporters:\n  awsxray:\n    indexed_attributes:\n      - "', { Ref: 'Key' }, '"\n      - plan\n']] };
    expect(collectorIndexing(value)?.keys).toEqual(['plan']);
  });

  test.each<[string, string, string[]]>([
    ['a flow list with quotes and a comment', 'exporters:\n  awsxray:\n    indexed_attributes: [a, "b", \'c\']  # three\n', ['a', 'b', 'c']],
    ['a block list at the key\'s indentation', 'exporters:\n  awsxray:\n    indexed_attributes:\n    - a\n    - b\n    region: x\n', ['a', 'b']],
    ['named exporters', 'exporters:\n  awsxray/one:\n    indexed_attributes: [a]\n  awsxray/two:\n    indexed_attributes:\n      - b\n', ['a', 'b']],
    ['another exporter\'s list is not read', 'exporters:\n  otlp:\n    indexed_attributes: [nope]\n  awsxray:\n    indexed_attributes: [a]\n', ['a']],
    ['an empty flow list', 'exporters:\n  awsxray:\n    indexed_attributes: []\n', []],
  ])('%s', (_, yaml, keys) => {
    expect(collectorIndexing(yaml)?.keys).toEqual(keys);
  });

  test('index_all_attributes: true is seen', () => {
    expect(collectorIndexing('exporters:\n  awsxray:\n    index_all_attributes: true\n')).toEqual({ keys: [], indexAll: true });
  });

  test.each<[string, unknown]>([
    ['no awsxray exporter', 'exporters:\n  otlp: {}\n'],
    ['no exporters', 'receivers:\n  otlp: {}\n'],
    ['not text', 42],
    ['null', null],
    ['a malformed Fn::Join', { 'Fn::Join': ['', 'x'] }],
  ])('%s: not a collector configuration', (_, value) => {
    expect(collectorIndexing(value)).toBeUndefined();
  });

  test('templateText joins literal parts', () => {
    expect(templateText({ 'Fn::Join': ['-', ['a', 'b']] })).toBe('a-b');
    expect(templateText({ Ref: 'X' })).toBeUndefined();
  });
});
