/** Input limits of the cost model, shared with the checks and the `cdk-xray` command line (not public API). */

/**
 * The most requests per second one estimate takes per rule: beyond any workload X-Ray serves (its default quota is
 * 2,600 segments per second per Region), and small enough that every count and amount of an estimate stays finite.
 */
export const MAX_REQUESTS_PER_SECOND = 1_000_000_000;

/** The largest monthly trace count an input may give (retrieved, scanned, free tiers): 10^16. */
export const MAX_TRACES_PER_MONTH = 1e16;

/** The highest price per million traces an input may give: USD 1,000,000 (the public prices are USD 0.50 to 5.00). */
export const MAX_PRICE_PER_MILLION = 1_000_000;
