import { formatCount, formatPercent, formatUsd } from '../../src/private/format';

describe('formatCount', () => {
  test.each([
    [0, '0'], [999, '999'], [1000, '1,000'], [1234567.4, '1,234,567'], [-1234, '-1,234'],
    [8.9e13, '89,000,000,000,000'], [9e13, '9.00e+13'], [1e305, '1.00e+305'],
    [Infinity, 'infinite'], [-Infinity, '-infinite'], [NaN, 'not a number'],
  ])('%p -> %s', (value, expected) => {
    expect(formatCount(value)).toBe(expected);
  });
});

describe('formatPercent', () => {
  test.each([
    [0.05, '5.00%'], [1, '100.00%'], [0, '0.00%'], [Infinity, 'infinite %'], [NaN, 'not a number %'], [1e300, '1.00e+302%'],
  ])('%p -> %s', (value, expected) => {
    expect(formatPercent(value)).toBe(expected);
  });
});

describe('formatUsd', () => {
  test.each([
    [0, '$0.00'], [0.125, '$0.13'], [1234.5, '$1,234.50'], [33.025, '$33.03'], [-3.2, '-$3.20'],
    [8.9e13, '$89,000,000,000,000.00'], [1e305, '$1.00e+305'],
    // regression: a huge estimate printed "$Infinity.undefined" or "$1e+305.undefined"
    [Infinity, '$infinite'], [-Infinity, '-$infinite'], [NaN, '$not a number'], [-1.888e+289, '-$1.89e+289'],
  ])('%p -> %s', (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });

  test('regression: never prints "undefined", "Infinity" or "NaN" digits', () => {
    for (const value of [1e21, 1e305, Number.MAX_VALUE, Infinity, NaN, -1e300]) {
      expect(formatUsd(value)).not.toMatch(/undefined|Infinity|NaN/);
      expect(formatCount(value)).not.toMatch(/undefined|Infinity|NaN/);
    }
  });
});
