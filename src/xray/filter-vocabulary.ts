/**
 * Boolean keywords of the X-Ray filter expression language.
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 */
export enum FilterFlag {
  /** The response status code was 2XX. */
  OK = 'ok',
  /** The response status code was 4XX. */
  ERROR = 'error',
  /** The response status code was 429 Too Many Requests. */
  THROTTLE = 'throttle',
  /** The response status code was 5XX. */
  FAULT = 'fault',
  /** The request has incomplete segments. */
  PARTIAL = 'partial',
  /** The request has inferred segments. */
  INFERRED = 'inferred',
  /** The element is the first of an enumerated list (root-cause filters). */
  FIRST = 'first',
  /** The element is the last of an enumerated list (root-cause filters). */
  LAST = 'last',
  /** The root-cause entity is remote. */
  REMOTE = 'remote',
  /** The service is the entry point (root segment) of the trace. */
  ROOT = 'root',
}

/** Number keywords of the X-Ray filter expression language. */
export enum NumberKeyword {
  /** Time the server took to send a response, in seconds. */
  RESPONSE_TIME = 'responsetime',
  /** Total request duration including all downstream calls, in seconds. */
  DURATION = 'duration',
  /** The response status code. */
  HTTP_STATUS = 'http.status',
  /** Position of an element in an enumerated list (root-cause filters). */
  INDEX = 'index',
  /** Entity response time over root segment response time, as a fraction (response-time root causes only). */
  COVERAGE = 'coverage',
}

/** String keywords of the X-Ray filter expression language. */
export enum StringKeyword {
  /** The request URL. */
  HTTP_URL = 'http.url',
  /** The request method. */
  HTTP_METHOD = 'http.method',
  /** The request user agent. */
  HTTP_USER_AGENT = 'http.useragent',
  /** The requester's IP address. */
  HTTP_CLIENT_IP = 'http.clientip',
  /** The user field of any segment in the trace. */
  USER = 'user',
  /** The name of a service or exception. */
  NAME = 'name',
  /** The service type. */
  TYPE = 'type',
  /** The exception message. */
  MESSAGE = 'message',
  /** The availability zone field of any segment in the trace. */
  AVAILABILITY_ZONE = 'availabilityzone',
  /** The instance ID field of any segment in the trace. */
  INSTANCE_ID = 'instance.id',
  /** The resource ARN field of any segment in the trace. */
  RESOURCE_ARN = 'resource.arn',
}

/** Operators that compare a number keyword or annotation with a number. */
export enum NumberOperator {
  /** Equal to. */
  EQUALS = '=',
  /** Not equal to. */
  NOT_EQUALS = '!=',
  /** Less than. */
  LESS_THAN = '<',
  /** Less than or equal to. */
  LESS_THAN_OR_EQUAL = '<=',
  /** Greater than. */
  GREATER_THAN = '>',
  /** Greater than or equal to. */
  GREATER_THAN_OR_EQUAL = '>=',
}

/** Operators that compare a string keyword or annotation with a string. */
export enum StringOperator {
  /** Equal to. */
  EQUALS = '=',
  /** Not equal to. */
  NOT_EQUALS = '!=',
  /** Contains the text; `CONTAINS ""` tests that the field is set. */
  CONTAINS = 'CONTAINS',
  /** Begins with the text. */
  BEGINS_WITH = 'BEGINSWITH',
  /** Ends with the text. */
  ENDS_WITH = 'ENDSWITH',
}

/** The kind of root cause in `rootcause.<type>.<entity> { ... }`. */
export enum RootCauseType {
  /** Root causes of faults (5XX). */
  FAULT = 'fault',
  /** Root causes of errors (4XX). */
  ERROR = 'error',
  /** Root causes of response time. */
  RESPONSE_TIME = 'responsetime',
}

/** What a root-cause filter matches in `rootcause.<type>.<entity> { ... }`. */
export enum RootCauseEntity {
  /** The root-cause services. */
  SERVICE = 'service',
  /** The entities (segments and subsegments) on the root-cause path. */
  ENTITY = 'entity',
  /** The root-cause exceptions. */
  EXCEPTION = 'exception',
}
