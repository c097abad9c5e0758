import { Token } from 'aws-cdk-lib';
import { renderValue, fail } from '../private/errors';

const LOW = 'low';
const BOUNDED = 'bounded';
const UNBOUNDED = 'unbounded';

/**
 * How many distinct values an annotation key can take.
 *
 * X-Ray indexes every annotation, so a key whose values never repeat (request IDs, user IDs, free text) makes the index
 * and the filter-expression cost grow with traffic instead of with the number of cases worth filtering on.
 * `AnnotationPolicy` reports `unbounded()` keys, and `bounded(n)` keys above its `maxCardinalityPerKey`.
 */
export class Cardinality {
  /**
   * A handful of values: booleans, tiers, regions, HTTP methods, status classes.
   */
  public static low(): Cardinality {
    return new Cardinality(LOW);
  }

  /**
   * At most `maxValues` distinct values, for example the number of tenants or product categories.
   *
   * @param maxValues the largest number of distinct values the key can take: a whole number of at least 1.
   */
  public static bounded(maxValues: number): Cardinality {
    // A bound known only at deploy time (a token) passes; the policy cannot compare it at synth and does not.
    if (typeof maxValues === 'number' && Token.isUnresolved(maxValues)) {
      return new Cardinality(BOUNDED, maxValues);
    }
    if (typeof maxValues !== 'number' || !Number.isInteger(maxValues) || maxValues < 1) {
      fail('Cardinality', 'maxValues', 'must be a whole number of at least 1', maxValues,
        'Pass the largest number of distinct values the key can take, for example Cardinality.bounded(20); use Cardinality.low() for a handful.');
    }
    return new Cardinality(BOUNDED, maxValues);
  }

  /**
   * Values that never repeat: IDs, timestamps, free text. Never acceptable as an indexed annotation; record such values
   * as metadata, which X-Ray does not index.
   */
  public static unbounded(): Cardinality {
    return new Cardinality(UNBOUNDED);
  }

  /** `low`, `bounded` or `unbounded`. */
  public readonly kind: string;

  /**
   * The most distinct values the key can take.
   *
   * @default - set only for `bounded(n)`
   */
  public readonly maxValues?: number;

  private constructor(kind: string, maxValues?: number) {
    this.kind = kind;
    this.maxValues = maxValues;
  }

  /** True for `Cardinality.unbounded()`. */
  public get isUnbounded(): boolean {
    return this.kind === UNBOUNDED;
  }

  /** How the cardinality was written, for messages: `Cardinality.bounded(20)`. */
  public toString(): string {
    return this.kind === BOUNDED ? `Cardinality.bounded(${renderValue(this.maxValues)})` : `Cardinality.${this.kind}()`;
  }
}
