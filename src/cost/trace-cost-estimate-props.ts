/**
 * X-Ray prices in USD. Prices are 0 to 1,000,000 per million traces; free tiers 0 to 10^16 traces.
 *
 * The defaults are the public prices on https://aws.amazon.com/xray/pricing/ (checked 2026-11-21). The page quotes
 * them without naming a Region; pass your own when your bill shows other rates.
 *
 * @see https://aws.amazon.com/xray/pricing/
 */
export interface XRayPricing {
  /**
   * Price of one million traces recorded, beyond the free tier.
   *
   * @default 5.00
   */
  readonly tracesRecordedPerMillion?: number;

  /**
   * Price of one million traces retrieved (full trace data read with `BatchGetTraces` or in the console), beyond the
   * free tier.
   *
   * @default 0.50
   */
  readonly tracesRetrievedPerMillion?: number;

  /**
   * Price of one million traces scanned (trace summaries read by `GetTraceSummaries`, e.g. the console's filtered
   * trace list), beyond the free tier.
   *
   * @default 0.50
   */
  readonly tracesScannedPerMillion?: number;

  /**
   * Price of one million traces processed by X-Ray Insights. The pricing page lists no free tier for Insights.
   *
   * @default 1.00
   */
  readonly insightsTracesPerMillion?: number;

  /**
   * Traces recorded free each month (perpetual free tier, per account). Pass 0 when other workloads of the account
   * already use it up.
   *
   * @default 100000
   */
  readonly freeTracesRecordedPerMonth?: number;

  /**
   * Traces retrieved or scanned free each month. The pricing page states one allowance for both ("the first 1,000,000
   * traces retrieved or scanned each month are free") and its worked example adds retrieved and scanned traces
   * before subtracting it, so this is one shared pool.
   *
   * @default 1000000
   */
  readonly freeTracesRetrievedOrScannedPerMonth?: number;
}

/**
 * One sampling rule and the traffic it matches.
 *
 * X-Ray applies the first matching rule in ascending priority, so give each request to exactly one entry: the
 * traffic of a catch-all rule such as `Default` is what the rules before it did not match.
 */
export interface SampledTraffic {
  /**
   * The sampling rule's name, used in the breakdown. Names must be unique within one estimate.
   */
  readonly name: string;

  /**
   * Average requests per second that this rule matches, over all instances of the service: 0 to 1,000,000,000.
   */
  readonly requestsPerSecond: number;

  /**
   * The rule's `FixedRate`: the share of requests sampled once the reservoir is used up, between 0 and 1.
   */
  readonly fixedRate: number;

  /**
   * The rule's `ReservoirSize`: traces per second sampled before the fixed rate applies. A whole number, 0 or more.
   *
   * With centralized sampling rules X-Ray shares one reservoir among all instances using the rule. Rules read from a
   * local file give each instance its own reservoir; pass the reservoir times the number of instances then.
   */
  readonly reservoirPerSecond: number;

  /**
   * Share of the matched requests that fail, between 0 and 1. Used only to report how many recorded traces show an
   * error: X-Ray samples at the start of a request (head sampling), before the outcome is known, so failed requests
   * are recorded at the same rate as the others.
   *
   * @default 0
   */
  readonly errorRatio?: number;
}

/**
 * What to estimate: the traffic of each sampling rule, how traces are read and which prices apply.
 */
export interface TraceCostEstimateProps {
  /**
   * The traffic matched by each sampling rule.
   */
  readonly traffic: SampledTraffic[];

  /**
   * Traces whose full data is read each month (`BatchGetTraces`, opening traces in the console). On the pricing page
   * 100 queries a day that each open 50 traces, over a 31-day month, make 155,000. At most 10^16.
   *
   * @default 0
   */
  readonly retrievedTracesPerMonth?: number;

  /**
   * Traces scanned each month by queries over trace summaries (`GetTraceSummaries`, filter expressions in the
   * console's trace list). A query scans every trace in its time range, so this depends on how often people and
   * dashboards query and over which window, not on how many traces are recorded; no default derived from the
   * recorded traces would be right. Count it from your query habits: on the pricing page 100 queries a day, each
   * over the last hour's 200 traces, over a 31-day month, make 620,000. At most 10^16.
   *
   * @default 0
   */
  readonly scannedTracesPerMonth?: number;

  /**
   * Whether X-Ray Insights is turned on. Insights processes every trace of a group that has it turned on; this
   * estimate assumes those groups cover every recorded trace (as the `Default` group does), so it is an upper bound
   * when Insights runs on narrower groups only.
   *
   * @default false
   */
  readonly insightsEnabled?: boolean;

  /**
   * Prices and free tiers.
   *
   * @default - the public prices, see `XRayPricing`
   */
  readonly pricing?: XRayPricing;

  /**
   * Length of the month in seconds. The default is 31 days, the month the pricing page's worked example uses
   * (2,000 requests an hour × 24 hours × 31 days), so the defaults reproduce its figures. Pass 2592000 for a 30-day
   * month or 2629746 for an average (365.2425-day year) month. More than 0 and at most 2678400 (31 days).
   *
   * @default 2678400
   */
  readonly secondsPerMonth?: number;

  /**
   * CloudWatch Transaction Search is on in the account and Region: spans are billed as CloudWatch span ingestion
   * instead of X-Ray trace recording, and indexing beyond the free 1 % is added.
   *
   * @default - Transaction Search off: X-Ray trace recording
   */
  readonly transactionSearch?: TransactionSearchTraffic;

  /**
   * CloudWatch Application Signals instruments the services.
   *
   * @default - Application Signals not estimated
   */
  readonly applicationSignals?: ApplicationSignalsTraffic;
}

/**
 * The estimate for one sampling rule.
 */
export interface RuleEstimate {
  /** The sampling rule's name. */
  readonly name: string;

  /** Requests per month that the rule matches. */
  readonly requestsPerMonth: number;

  /** Traces recorded per month: the reservoir's share plus the fixed rate's share of the rest. */
  readonly tracesRecordedPerMonth: number;

  /** Recorded traces per month that show a failed request (recorded traces × error ratio). */
  readonly errorTracesRecordedPerMonth: number;

  /** Recorded traces divided by matched requests, between 0 and 1 (0 when the rule matches no request). */
  readonly effectiveSampleRatio: number;
}

/**
 * CloudWatch Transaction Search: with it on, X-Ray ingests every span of the recorded traces into the CloudWatch Logs
 * log group `aws/spans`, billed at CloudWatch's span ingestion price instead of X-Ray's trace recording price, and
 * indexes a share of them as X-Ray trace summaries (1 % free).
 *
 * Every value must be known at synth time (a token is refused, as for the other inputs of an estimate).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Enable-TransactionSearch.html
 */
export interface TransactionSearchTraffic {
  /**
   * Spans per trace, over every service a request crosses: more than 0, at most 10,000 (the largest trace Transaction
   * Search shows).
   */
  readonly spansPerTrace: number;

  /**
   * Average size of one span as ingested, in bytes: more than 0, at most 1,048,576. Measure it from the `aws/spans` log
   * group's `IncomingBytes` divided by its `IncomingLogEvents`.
   */
  readonly averageSpanSizeBytes: number;

  /**
   * The share of spans indexed as trace summaries, in percent (`AWS::XRay::TransactionSearchConfig`'s
   * `IndexingPercentage`): 0 to 100.
   *
   * @default 1
   */
  readonly indexingPercentage?: number;

  /**
   * Price in USD of one GB (2^30 bytes) of spans ingested. AWS's CloudWatch pricing page lists it under Application
   * observability; this library does not ship a figure it could not verify, so without it the estimate counts the
   * gigabytes and leaves their cost out (`unpricedItems` says so). 0 to 1,000,000.
   *
   * @default - not priced
   */
  readonly spanIngestionPricePerGb?: number;

  /**
   * Price in USD of one million traces indexed beyond the free share (1 %). 0 to 1,000,000.
   *
   * @default - the X-Ray price of traces recorded (`XRayPricing.tracesRecordedPerMillion`)
   */
  readonly indexedTracesPricePerMillion?: number;
}

/**
 * CloudWatch Application Signals, billed by signals: the requests into and out of the services it instruments.
 *
 * @see https://aws.amazon.com/cloudwatch/pricing/
 */
export interface ApplicationSignalsTraffic {
  /**
   * Inbound and outbound requests per month of the services Application Signals instruments (each one signal):
   * 0 to 10^16.
   *
   * @default - the requests of the sampled traffic (`requestsPerMonth`): inbound requests only, a lower bound
   */
  readonly requestsPerMonth?: number;

  /**
   * Price in USD of one million signals. Not shipped by this library (it could not verify the figure); without it
   * the estimate counts the signals and leaves their cost out (`unpricedItems` says so). 0 to 1,000,000.
   *
   * @default - not priced
   */
  readonly pricePerMillionSignals?: number;
}

/** What Transaction Search adds to an estimate. */
export interface TransactionSearchEstimate {
  /** Spans ingested into `aws/spans` per month: every span of every recorded trace. */
  readonly spansIngestedPerMonth: number;

  /** Gigabytes (2^30 bytes) of spans ingested per month. */
  readonly spanGigabytesIngestedPerMonth: number;

  /** The share of spans indexed as trace summaries, in percent. */
  readonly indexingPercentage: number;

  /** Traces indexed as trace summaries per month. */
  readonly tracesIndexedPerMonth: number;

  /** Traces indexed per month beyond the free 1 %. */
  readonly billableTracesIndexedPerMonth: number;

  /** Cost of span ingestion per month in USD; undefined when no price was given. */
  readonly spanIngestionCostUsd?: number;

  /** Cost of indexing beyond the free share per month in USD. */
  readonly indexingCostUsd: number;
}

/** What Application Signals adds to an estimate. */
export interface ApplicationSignalsEstimate {
  /** Signals per month (inbound and outbound requests). */
  readonly signalsPerMonth: number;

  /** Cost per month in USD; undefined when no price was given. */
  readonly costUsd?: number;
}
