/** Number formats shared by the cost estimate's table and the `cdk-xray` report. */

/** A whole count with thousands separators, independent of the machine's locale. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A ratio as a percentage with two decimals, e.g. `5.00%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/** USD rounded half up to cents (`toFixed` alone rounds 0.125 down because of binary floating point). */
export function formatUsd(value: number): string {
  const cents = Math.round((value + Number.EPSILON) * 100);
  const [whole, fraction] = (cents / 100).toFixed(2).split('.');
  return `$${formatCount(Number(whole))}.${fraction}`;
}
