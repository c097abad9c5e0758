/** Number formats shared by the cost estimate's table and the `cdk-xray` report. */

/**
 * Beyond this magnitude whole numbers and cents are no longer exact in a double (2^53 / 100), so values are written in
 * exponent notation instead of digit groups that would look exact.
 */
const LARGEST_EXACT = 9e13;

/** `NaN`, `Infinity` and `-Infinity` as words a reader understands; never `undefined` digits. */
function nonFinite(value: number): string {
  return Number.isNaN(value) ? 'not a number' : value > 0 ? 'infinite' : '-infinite';
}

/**
 * A whole count with thousands separators, independent of the machine's locale. Very large values are written as
 * `1.00e+20`; `NaN` and infinities as `not a number` / `infinite`.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) {
    return nonFinite(value);
  }
  if (Math.abs(value) >= LARGEST_EXACT) {
    return value.toExponential(2);
  }
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A ratio as a percentage with two decimals, e.g. `5.00%`. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return `${nonFinite(ratio)} %`;
  }
  const percent = ratio * 100;
  return Math.abs(percent) >= LARGEST_EXACT ? `${percent.toExponential(2)}%` : `${percent.toFixed(2)}%`;
}

/**
 * USD rounded half up to cents (`toFixed` alone rounds 0.125 down because of binary floating point), e.g. `$1,234.50`
 * or `-$3.20`. Amounts too large for exact cents are written as `$1.00e+305`; `NaN` and infinities as words.
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) {
    return `$${nonFinite(value)}`.replace('$-', '-$');
  }
  const sign = value < 0 ? '-' : '';
  const amount = Math.abs(value);
  if (amount >= LARGEST_EXACT) {
    return `${sign}$${amount.toExponential(2)}`;
  }
  const cents = Math.round((amount + Number.EPSILON) * 100);
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  return `${sign}$${formatCount(whole)}.${fraction}`;
}
