import { Lazy, Stack, Token } from 'aws-cdk-lib';
import { expectCase, expectCompleteTable, ValidationCase } from './util';
import { FilterExpression } from '../../src/xray/filter-expression';
import {
  FilterFlag, NumberKeyword, NumberOperator, RootCauseEntity, RootCauseType, StringKeyword, StringOperator,
} from '../../src/xray/filter-vocabulary';

const fault = FilterExpression.flag(FilterFlag.FAULT);
const error = FilterExpression.flag(FilterFlag.ERROR);
const slow = FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2);

/** Asserts that `expression` re-parses as valid with the same annotation keys. */
function expectRoundTrip(expression: FilterExpression): void {
  const result = FilterExpression.parse(expression.toString());
  expect(result).toEqual({ valid: true, annotationKeys: expression.annotationKeys });
}

// Expressions from the AWS X-Ray Developer Guide, "Using filter expressions" (current and earlier versions of the page):
// https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
// Where the page shows a `{ filter }` placeholder, a real sub-filter is substituted (marked "placeholder filled").
describe('AWS documentation examples', () => {
  test.each<[string, string[]]>([
    ['responsetime > 5', []],
    ['duration >= 5 AND duration <= 8', []],
    ['ok', []],
    ['!ok', []],
    ['ok = false', []],
    ['rootcause.fault.entity { last and name = "deserialize" }', []],
    ['rootcause.responsetime.entity { remote and coverage > 0.7 and name = "traces" }', []],
    ['service("data-plane") {root = true and fault = true}', []],
    ['http.status != 200', []],
    ['rootcause.fault.service { index > 5 }', []],
    ['rootcause.responsetime.entity { last and coverage > 0.8 }', []],
    ['http.url CONTAINS "/api/game/"', []],
    ['user CONTAINS ""', []],
    ['rootcause.fault.service { name = "Auth" }', []],
    ['rootcause.responsetime.service { last and type = "AWS::DynamoDB" }', []],
    ['service("api.example.com") { fault }', []],
    ['service() { fault }', []],
    ['edge("api.example.com", "backend.example.com") { error }', []],
    ['http.url BEGINSWITH "http://api.example.com/" AND http.url CONTAINS "/v2/" AND !service("api.example.com")', []],
    ['http.url AND responseTime > 2', []],
    ['annotation.gameid = "817DL6VO"', ['gameid']],
    ['annotation.age', ['age']],
    ['!annotation.age', ['age']],
    ['annotation.age > 29', ['age']],
    ['group.name = "high_response_time" AND user = "alice"', []],
    ['rootcause.json = #[{ "Services": [ { "Name": "GetWeatherData", "EntityPath": [{ "Name": "GetWeatherData" }, { "Name": "get_temperature" } ] }, '
      + '{ "Name": "GetTemperature", "EntityPath": [ { "Name": "GetTemperature" } ] } ] }]', []],
    ['service(id(name: "service-name", type:"service::type")) { fault }', []], // placeholder filled
    ['edge(id(name: "service-one", type:"service::type"), id(name: "service-two", type:"service::type")) { error }', []], // placeholder filled
    ['service("random-name") { error }', []],
    ['service(id(name: "random-name", type: "AWS::Lambda::Function")) { error }', []],
    ['service(id(type: "AWS::Lambda::Function")) { error }', []],
    ['edge("api.example.com", "backend.example.com") { fault = true }', []],
    ['service("api.example.com") { fault = true OR responsetime > 2.5 }', []],
    ['annotation.key', ['key']],
    ['duration > 10', []], // AWS::XRay::Group example in the CloudFormation reference
  ])('valid: %s', (expression, keys) => {
    // WHEN
    const result = FilterExpression.parse(expression);
    // THEN
    expect(result).toEqual({ valid: true, annotationKeys: keys });
    expect(FilterExpression.fromString(expression).annotationKeys).toEqual(keys);
  });

  test.each<[string, number, RegExp]>([
    // Juxtaposition: the page reads it as AND; we require AND/OR between conditions.
    ['ok !partial duration <3', 3, /^missing AND or OR before "!" at position 3$/],
    // Unquoted string value, although the same page says string values must always be quoted.
    ['rootcause.fault.service { inferred and name = traces and type = "AWS::DynamoDB" }', 46, /^unquoted value traces for string keyword name at position 46$/],
    // The page's example lacks its closing brace.
    ['rootcause.fault.exception { last and message = "Access Denied for account_id: 1234567890" ', 26,
      /^unbalanced braces: "\{" at position 26 is never closed$/],
    // An earlier version of the page combines annotation.* with service(); the current page says they cannot be combined.
    ['service("api.example.com") { fault = true OR responsetime > 2.5 } AND annotation.account = "12345"', 70,
      /^annotation\.account at position 70 combined with service\(\) at position 0$/],
    // Syntax templates from the page, which are not expressions themselves.
    ['keyword operator value', 0, /^unknown keyword "keyword" at position 0$/],
    ['service(name) {filter}', 8, /^unquoted service name name at position 8$/],
    ['edge(source, destination) {filter}', 5, /^unquoted service name source at position 5$/],
    ['id(name: "service-name", type:"service::type")', 0, /^id\(\) at position 0 outside service\(\) or edge\(\)$/],
  ])('invalid: %s', (expression, position, message) => {
    // WHEN
    const result = FilterExpression.parse(expression);
    // THEN
    expect(result.valid).toBe(false);
    expect(result.errorPosition).toBe(position);
    expect(result.errorMessage).toMatch(message);
    expect(result.errorHint).toEqual(expect.any(String));
  });
});

describe('FilterExpression.parse', () => {
  test.each<[string, string[]]>([
    ['Fault Or ERROR', []],
    ['fault AND (error OR throttle) AND !partial', []],
    ['(responsetime > 1 OR duration > 2) AND http.method = "POST"', []],
    ['annotation.tenant = "acme" AND (annotation.tier = 1 OR annotation.cold_start = TRUE) AND annotation.tenant != "x"', ['tenant', 'tier', 'cold_start']],
    ['annotation.region BEGINSWITH "eu-" OR annotation.retries <= -1', ['region', 'retries']],
    ['user = "a\\"b\\\\c"', []],
    ['http.url CONTAINS "(not a paren) {nor a brace}"', []],
    ['edge(id(account.id: "123456789012"), "db") { responsetime >= 0.5 }', []],
    ['service("a") AND rootcause.error.exception { message CONTAINS "timeout" } AND group.arn != "arn:aws:xray:eu-west-1:123456789012:group/a/b"', []],
    ['json = #[{"Services": []}] OR !http.clientip', []],
    ['responsetime>5 AND http.status>=500', []],
  ])('valid: %s', (expression, keys) => {
    expect(FilterExpression.parse(expression)).toEqual({ valid: true, annotationKeys: keys });
  });

  test.each<[string, number, RegExp]>([
    // unterminated strings
    ['http.url = "abc', 11, /^unterminated string: the quote at position 11 is never closed$/],
    ['user = "a\\"b', 7, /^unterminated string: the quote at position 7/],
    ['(http.url = "abc)', 12, /^unterminated string/],
    ['http.method = \'GET\'', 14, /^single-quoted string at position 14$/],
    // unbalanced brackets
    ['responsetime > 5 AND (fault', 21, /^unbalanced parentheses: "\(" at position 21 is never closed$/],
    ['fault)', 5, /^unbalanced parentheses: "\)" at position 5 has no matching "\("$/],
    ['service("a") { fault', 13, /^unbalanced braces: "\{" at position 13 is never closed$/],
    ['fault }', 6, /^unbalanced braces: "\}" at position 6 has no matching "\{"$/],
    ['( fault }', 8, /^unbalanced braces: "\}" at position 8 does not match "\(" at position 0$/],
    ['service("a" { fault }', 7, /^unbalanced parentheses: "\(" at position 7 is never closed$/],
    // unknown keywords, with near misses
    ['respnsetime > 5', 0, /^unknown keyword "respnsetime" at position 0 \(did you mean "responsetime"\?\)$/],
    ['http.urll CONTAINS "x"', 0, /did you mean "http\.url"/],
    ['rootcause.fault.services { name = "x" }', 0, /did you mean "rootcause\.fault\.service"/],
    ['anotation.gameid = "x"', 0, /did you mean "annotation\.gameid"/],
    ['fault AND latency > 1', 10, /^unknown keyword "latency" at position 10$/],
    ['NOT fault', 0, /^NOT at position 0 is not an operator$/],
    // wrong operator for the keyword's type
    ['responsetime CONTAINS "x"', 13, /^operator CONTAINS at position 13 does not apply to number keyword responsetime$/],
    ['http.url > 3', 9, /^operator > at position 9 does not apply to string keyword http\.url$/],
    ['fault > 1', 6, /^operator > at position 6 does not apply to boolean keyword fault$/],
    ['group.name CONTAINS "x"', 11, /^operator CONTAINS at position 11 does not apply to group\.name$/],
    // values of the wrong type
    ['fault = 1', 8, /^boolean keyword fault compared with the number 1 at position 8$/],
    ['responsetime > "5"', 15, /^number keyword responsetime compared with the string "5" at position 15$/],
    ['duration > fast', 11, /^number keyword duration compared with "fast" at position 11$/],
    ['duration > 5s', 11, /^"5s" at position 11 is not a number$/],
    ['annotation.age > "29"', 17, /^annotation\.age compared with the string "29" at position 17$/],
    ['annotation.tier CONTAINS 5', 25, /^annotation\.tier compared with the number 5 at position 25$/],
    ['json = "x"', 7, /^json compared with the string "x" at position 7$/],
    // unquoted strings
    ['http.method = GET', 14, /^unquoted value GET for string keyword http\.method at position 14$/],
    ['group.name = slow', 13, /^unquoted value slow for group\.name at position 13$/],
    ['annotation.tenant = acme', 20, /^unquoted value acme for annotation\.tenant at position 20$/],
    // missing operator or value
    ['responsetime >', 13, /^missing value after ">" at position 13$/],
    ['responsetime > AND fault', 15, /^missing value after ">" at position 15$/],
    ['http.method =', 12, /^missing value after "=" at position 12$/],
    ['responsetime', 0, /^number keyword responsetime at position 0 has no operator and value$/],
    ['duration 5', 9, /^operator expected after duration at position 9, found the number 5$/],
    // annotations with service/edge
    ['service("a") { annotation.x = 1 }', 15, /^annotation\.x at position 15 inside the service\(\) \{ \} filter$/],
    ['edge("a", "b") { annotation.x }', 17, /^annotation\.x at position 17 inside the edge\(\) \{ \} filter$/],
    ['annotation.x AND service("a")', 17, /^service\(\) at position 17 combined with annotation\.x at position 0$/],
    ['service("a") OR annotation.x', 16, /^annotation\.x at position 16 combined with service\(\) at position 0$/],
    ['rootcause.fault.service { annotation.x }', 26, /^annotation\.x at position 26 inside the rootcause\.fault\.service \{ \} filter$/],
    // nesting
    ['service("a") { service("b") }', 15, /^service\(\) at position 15 nested inside the service\(\) \{ \} filter$/],
    ['edge("a", "b") { group.name = "g" }', 17, /^group\.name at position 17 nested inside the edge\(\) \{ \} filter$/],
    ['{ fault }', 0, /^"\{" at position 0 without service\(\), edge\(\) or rootcause\.\* before it$/],
    ['rootcause.fault.service', 0, /^"\{" expected after rootcause\.fault\.service at position 0/],
    // trailing garbage
    ['responsetime > 5 5', 17, /^unexpected number 5 at position 17 after a complete condition$/],
    ['fault "x"', 6, /^unexpected string "x" at position 6 after a complete condition$/],
    ['fault = true = false', 13, /^unexpected "=" at position 13 after a complete condition$/],
    ['fault error', 6, /^missing AND or OR before "error" at position 6$/],
    ['fault & error', 6, /^unexpected character "&" at position 6$/],
    ['fault == true', 6, /^unknown operator "==" at position 6$/],
    // empty expressions and dangling AND/OR
    ['', 0, /^empty expression at position 0$/],
    ['   ', 0, /^empty expression at position 0$/],
    ['()', 0, /^empty "\( \)" at position 0$/],
    ['service("a") {}', 13, /^empty "\{ \}" at position 13$/],
    ['fault AND', 6, /^dangling AND at position 6: no condition follows it$/],
    ['fault or', 6, /^dangling OR at position 6: no condition follows it$/],
    ['(fault AND) OR error', 7, /^dangling AND at position 7/],
    ['AND fault', 0, /^AND at position 0 has no condition before it$/],
    ['fault AND OR error', 10, /^OR at position 10 directly after AND$/],
    // negation
    ['!', 0, /^dangling "!" at position 0: no keyword follows it$/],
    ['!(fault)', 0, /^"!" at position 0 followed by "\(" instead of a keyword$/],
    ['!responsetime > 5', 0, /^"!" at position 0 combined with the operator >$/],
    ['!fault = true', 0, /^"!" at position 0 combined with the operator =$/],
    // service(), edge() and id()
    ['edge("a")', 8, /^"," expected at position 8, found "\)"$/],
    ['edge()', 5, /^service name expected at position 5, found "\)"$/],
    ['service(api)', 8, /^unquoted service name api at position 8$/],
    ['service "a"', 8, /^"\(" expected at position 8, found the string "a"$/],
    ['service(id())', 8, /^empty id\(\) at position 8$/],
    ['service(id(nme: "x"))', 11, /^unknown id\(\) field "nme" at position 11$/],
    ['service(id(name: "a", name: "b"))', 22, /^repeated id\(\) field name at position 22$/],
    ['service(id(type: AWS))', 17, /^unquoted id\(\) type at position 17$/],
    // annotation keys
    ['annotation.a-b = 1', 11, /^invalid annotation key "a-b" at position 11: only letters, digits and underscores are allowed$/],
    ['annotation. = 1', 11, /^missing annotation key after "annotation\." at position 11$/],
    // JSON literals
    ['rootcause.json = #[1,]', 17, /^invalid JSON in the #\[\.\.\.\] literal at position 17$/],
    ['json = #[{"a": 1}', 7, /^unterminated JSON literal: "#\[" at position 7 is never closed$/],
    ['json = #{}', 7, /^stray "#" at position 7$/],
  ])('invalid: %s', (expression, position, message) => {
    // WHEN
    const result = FilterExpression.parse(expression);
    // THEN
    expect(result.valid).toBe(false);
    expect(result.errorPosition).toBe(position);
    expect(result.errorMessage).toMatch(message);
  });

  test('reports the first problem by position', () => {
    // GIVEN an unknown keyword before an unclosed parenthesis and the reverse
    expect(FilterExpression.parse('respnsetime > 5 AND (fault').errorPosition).toBe(0);
    expect(FilterExpression.parse('(fault AND respnsetime > 5').errorPosition).toBe(0);
    expect(FilterExpression.parse('(fault AND respnsetime > 5').errorMessage).toMatch(/^unbalanced parentheses/);
  });

  test('lists the annotation keys parsed before the problem', () => {
    const result = FilterExpression.parse('annotation.tenant = "a" AND annotation.tier > 1 AND respnsetime > 5 AND annotation.late');
    expect(result.valid).toBe(false);
    expect(result.annotationKeys).toEqual(['tenant', 'tier']);
  });

  test('gives a hint on how to fix the problem', () => {
    expect(FilterExpression.parse('http.method = GET').errorHint).toBe('Quote text values: http.method = "GET".');
  });

  test('never throws, whatever the input', () => {
    // GIVEN fragments of the grammar glued together at random (deterministic seed)
    const parts = ['fault', '!', '(', ')', '{', '}', 'service', 'edge', '"x', '"y"', '5', '=', '>', 'CONTAINS', 'AND', 'OR', ',', 'id', ':',
      'annotation.k', 'annotation.', '#[', ']', 'rootcause.fault.service', 'group.name', '\\', '\'', '@', ' '];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 2000; n++) {
      const expression = Array.from({ length: 1 + Math.floor(random() * 12) }, () => parts[Math.floor(random() * parts.length)]).join(random() < 0.5 ? ' ' : '');
      // WHEN / THEN
      const result = FilterExpression.parse(expression);
      if (!result.valid) {
        expect(result.errorPosition).toBeGreaterThanOrEqual(0);
        expect(result.errorPosition).toBeLessThanOrEqual(expression.length);
      }
    }
    expect(FilterExpression.parse(undefined as any)).toMatchObject({ valid: false, errorPosition: 0 });
  });

  test('an unresolved token is reported valid, with no annotation keys', () => {
    expect(FilterExpression.parse(Lazy.string({ produce: () => 'fault' }))).toEqual({ valid: true, annotationKeys: [] });
  });

  test('100,000 nested parentheses are a parse error, not a stack overflow', () => {
    // GIVEN
    const depth = 100_000;
    const balanced = `${'('.repeat(depth)}ok${')'.repeat(depth)}`;
    const braces = `${'service("a") { ('.repeat(1)}${'('.repeat(depth)}ok${')'.repeat(depth)}) }`;
    // WHEN
    const result = FilterExpression.parse(balanced);
    // THEN
    expect(result).toEqual({
      valid: false,
      errorMessage: '"(" at position 100 nests deeper than 100 levels',
      errorPosition: 100,
      errorHint: 'Remove redundant parentheses; AND binds tighter than OR, so most groupings need none.',
      annotationKeys: [],
    });
    expect(FilterExpression.parse(braces).valid).toBe(false);
    expect(() => FilterExpression.fromString(balanced)).toThrow(/^\[FilterExpression\.fromString\] expression "\(" at position 100 nests deeper than 100 levels/);
    expect(FilterExpression.parse(`${'('.repeat(100)}ok${')'.repeat(100)}`)).toEqual({ valid: true, annotationKeys: [] });
  });

  test('builders nested past the limit say so, instead of reporting a library bug', () => {
    let expression = FilterExpression.flag(FilterFlag.OK);
    const build = () => {
      for (let i = 0; i < 101; i++) {
        expression = FilterExpression.all(FilterExpression.any(expression, fault), error);
      }
    };
    expect(build).toThrow(/^\[FilterExpression\] expressions nest deeper than 100 levels .*Combine conditions in one all\(\) or any\(\) call/);
  });
});

describe('FilterExpression.fromString', () => {
  test('keeps the text and lists the annotation keys', () => {
    // WHEN
    const expression = FilterExpression.fromString('annotation.tenant = "acme" AND responsetime > 1 AND !annotation.tenant');
    // THEN
    expect(expression.toString()).toBe('annotation.tenant = "acme" AND responsetime > 1 AND !annotation.tenant');
    expect(expression.annotationKeys).toEqual(['tenant']);
  });

  test('throws with the problem, its position, the expression and the fix', () => {
    expect(() => FilterExpression.fromString('responsetime > 5 AND (fault')).toThrow(
      '[FilterExpression.fromString] expression unbalanced parentheses: "(" at position 21 is never closed (got "responsetime > 5 AND (fault"). Add ")" to close it, or remove it.');
    expect(() => FilterExpression.fromString('respnsetime > 5')).toThrow(
      /^\[FilterExpression\.fromString\] expression unknown keyword "respnsetime" at position 0 \(did you mean "responsetime"\?\) \(got "respnsetime > 5"\)\. Known keywords: ok,/);
    expect(() => FilterExpression.fromString('')).toThrow(/^\[FilterExpression\.fromString\] expression empty expression at position 0 \(got ""\)/);
  });

  test('accepts an unresolved token unchecked', () => {
    // GIVEN
    const stack = new Stack();
    const token = Lazy.string({ produce: () => 'fault OR error' });
    // WHEN
    const expression = FilterExpression.fromString(token);
    // THEN
    expect(expression.annotationKeys).toEqual([]);
    expect(stack.resolve(expression.toString())).toBe('fault OR error');
    // a token may hide an OR, so all() parenthesises it
    expect(stack.resolve(FilterExpression.all(expression, slow).toString())).toBe('(fault OR error) AND responsetime > 2');
  });
});

describe('builders', () => {
  test.each<[string, FilterExpression, string, string[]]>([
    ['flag', fault, 'fault', []],
    ['notFlag', FilterExpression.notFlag(FilterFlag.PARTIAL), '!partial', []],
    ['number', slow, 'responsetime > 2', []],
    ['number (decimal, negative)', FilterExpression.number(NumberKeyword.COVERAGE, NumberOperator.GREATER_THAN_OR_EQUAL, -0.5), 'coverage >= -0.5', []],
    ['string', FilterExpression.string(StringKeyword.HTTP_URL, StringOperator.CONTAINS, '/api'), 'http.url CONTAINS "/api"', []],
    ['string (set test)', FilterExpression.string(StringKeyword.USER, StringOperator.CONTAINS, ''), 'user CONTAINS ""', []],
    ['string (escaping)', FilterExpression.string(StringKeyword.MESSAGE, StringOperator.EQUALS, 'say "hi" \\ bye'), 'message = "say \\"hi\\" \\\\ bye"', []],
    ['annotationNumber', FilterExpression.annotationNumber('retries', NumberOperator.LESS_THAN_OR_EQUAL, 3), 'annotation.retries <= 3', ['retries']],
    ['annotationString', FilterExpression.annotationString('tenant', StringOperator.BEGINS_WITH, 'ac"me'), 'annotation.tenant BEGINSWITH "ac\\"me"', ['tenant']],
    ['annotationBoolean', FilterExpression.annotationBoolean('cold_start', true), 'annotation.cold_start = true', ['cold_start']],
    ['annotationPresent', FilterExpression.annotationPresent('tenant'), 'annotation.tenant', ['tenant']],
    ['annotationAbsent', FilterExpression.annotationAbsent('tenant'), '!annotation.tenant', ['tenant']],
    ['service', FilterExpression.service('checkout', slow), 'service("checkout") { responsetime > 2 }', []],
    ['service (no filter)', FilterExpression.service('api.example.com'), 'service("api.example.com")', []],
    ['notService', FilterExpression.notService('api.example.com'), '!service("api.example.com")', []],
    ['anyService', FilterExpression.anyService(fault), 'service() { fault }', []],
    ['anyService (no filter)', FilterExpression.anyService(), 'service()', []],
    ['serviceWithId', FilterExpression.serviceWithId({ name: 'a', type: 'AWS::Lambda::Function' }, error),
      'service(id(name: "a", type: "AWS::Lambda::Function")) { error }', []],
    ['serviceWithId (account)', FilterExpression.serviceWithId({ accountId: '123456789012' }), 'service(id(account.id: "123456789012"))', []],
    ['edge', FilterExpression.edge('a', 'b', error), 'edge("a", "b") { error }', []],
    ['edgeWithIds', FilterExpression.edgeWithIds({ name: 'api' }, { type: 'AWS::DynamoDB::Table' }),
      'edge(id(name: "api"), id(type: "AWS::DynamoDB::Table"))', []],
    ['groupName', FilterExpression.groupName('slow'), 'group.name = "slow"', []],
    ['groupArn', FilterExpression.groupArn('arn:aws:xray:eu-west-1:123456789012:group/slow/ABC'),
      'group.arn = "arn:aws:xray:eu-west-1:123456789012:group/slow/ABC"', []],
    ['rootCause', FilterExpression.rootCause(RootCauseType.FAULT, RootCauseEntity.SERVICE,
      FilterExpression.string(StringKeyword.NAME, StringOperator.EQUALS, 'x')), 'rootcause.fault.service { name = "x" }', []],
    ['rootCause (raw inner filter)', FilterExpression.rootCause(RootCauseType.RESPONSE_TIME, RootCauseEntity.ENTITY,
      FilterExpression.fromString('last and coverage > 0.8')), 'rootcause.responsetime.entity { last and coverage > 0.8 }', []],
    ['all', FilterExpression.all(fault, slow), 'fault AND responsetime > 2', []],
    ['any', FilterExpression.any(fault, error), 'fault OR error', []],
  ])('%s', (_name, expression, text, keys) => {
    // THEN the exact text, the keys, and it parses back as valid
    expect(expression.toString()).toBe(text);
    expect(expression.annotationKeys).toEqual(keys);
    expectRoundTrip(expression);
  });

  test.each([
    ...Object.values(FilterFlag).map(f => FilterExpression.flag(f)),
    ...Object.values(FilterFlag).map(f => FilterExpression.notFlag(f)),
    ...Object.values(NumberKeyword).flatMap(k => Object.values(NumberOperator).map(op => FilterExpression.number(k, op, 1))),
    ...Object.values(StringKeyword).flatMap(k => Object.values(StringOperator).map(op => FilterExpression.string(k, op, 'v'))),
    ...Object.values(RootCauseType).flatMap(t => Object.values(RootCauseEntity).map(e => FilterExpression.rootCause(t, e, fault))),
  ].map(e => [e.toString(), e]))('every enum member renders a valid expression: %s', (_text, expression) => {
    expectRoundTrip(expression);
  });

  describe('all / any', () => {
    test('all() parenthesises OR operands; any() needs no parentheses, as AND binds tighter', () => {
      // WHEN
      const and = FilterExpression.all(FilterExpression.any(fault, error), slow);
      const or = FilterExpression.any(FilterExpression.all(fault, slow), FilterExpression.all(error, slow));
      // THEN
      expect(and.toString()).toBe('(fault OR error) AND responsetime > 2');
      expect(or.toString()).toBe('fault AND responsetime > 2 OR error AND responsetime > 2');
      expect(FilterExpression.all(and, or).toString())
        .toBe('(fault OR error) AND responsetime > 2 AND (fault AND responsetime > 2 OR error AND responsetime > 2)');
      [and, or].forEach(expectRoundTrip);
    });

    test('the class documentation example', () => {
      const slowFailures = FilterExpression.all(
        FilterExpression.service('checkout', FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, 2)),
        FilterExpression.any(FilterExpression.flag(FilterFlag.FAULT), FilterExpression.flag(FilterFlag.ERROR)),
      );
      expect(slowFailures.toString()).toBe('service("checkout") { responsetime > 2 } AND (fault OR error)');
    });

    test('parenthesises an OR parsed from a string, but not an AND', () => {
      const or = FilterExpression.fromString('fault OR error');
      const and = FilterExpression.fromString('fault AND (error OR throttle)');
      expect(FilterExpression.all(or, and).toString()).toBe('(fault OR error) AND fault AND (error OR throttle)');
    });

    test('and() and or() chain', () => {
      expect(fault.or(error).and(slow).toString()).toBe('(fault OR error) AND responsetime > 2');
      expect(fault.and(slow, error).or(FilterExpression.flag(FilterFlag.THROTTLE)).toString()).toBe('fault AND responsetime > 2 AND error OR throttle');
    });

    test('a single operand is returned as is', () => {
      expect(FilterExpression.all(fault)).toBe(fault);
      expect(FilterExpression.any(fault)).toBe(fault);
    });

    test('collects distinct annotation keys in order of first appearance', () => {
      // WHEN
      const expression = FilterExpression.all(
        FilterExpression.annotationString('tenant', StringOperator.EQUALS, 'acme'),
        FilterExpression.any(FilterExpression.annotationPresent('tier'), FilterExpression.annotationNumber('tenant', NumberOperator.EQUALS, 1)),
        FilterExpression.fromString('annotation.region = "eu" OR annotation.tier = 2'),
      );
      // THEN
      expect(expression.annotationKeys).toEqual(['tenant', 'tier', 'region']);
      expectRoundTrip(expression);
    });

    test('rejects no operands', () => {
      expect(() => FilterExpression.all()).toThrow(/^\[FilterExpression\.all\] expressions must contain at least one expression/);
      expect(() => FilterExpression.any()).toThrow(/^\[FilterExpression\.any\] expressions must contain at least one expression/);
    });

    test('rejects annotations combined with service() or edge()', () => {
      expect(() => FilterExpression.all(FilterExpression.service('a'), FilterExpression.annotationPresent('tenant')))
        .toThrow(/^\[FilterExpression\.all\] expressions cannot combine annotation\.tenant with service\("a"\).*X-Ray cannot combine annotation/);
      expect(() => FilterExpression.fromString('annotation.x = 1').or(FilterExpression.edge('a', 'b')))
        .toThrow(/^\[FilterExpression\.any\] expressions cannot combine annotation\.x = 1 with edge\("a", "b"\)/);
    });
  });

  describe('validation', () => {
    test.each<[string, () => FilterExpression, RegExp]>([
      ['key with a dash', () => FilterExpression.annotationPresent('tenant-id'),
        /^\[FilterExpression\.annotationPresent\] key may contain only letters, digits and underscores \(got "tenant-id"\)\. .*use "tenant_id"/],
      ['key with a dot', () => FilterExpression.annotationString('a.b', StringOperator.EQUALS, 'x'), /key may contain only letters, digits and underscores/],
      ['empty key', () => FilterExpression.annotationAbsent(''), /^\[FilterExpression\.annotationAbsent\] key must be 1 to 500 characters long \(got ""\)/],
      ['key of 501 characters', () => FilterExpression.annotationBoolean('k'.repeat(501), true), /key must be 1 to 500 characters long/],
      ['non-boolean annotation value', () => FilterExpression.annotationBoolean('k', 'yes' as any), /^\[FilterExpression\.annotationBoolean\] value must be true or false/],
      ['NaN', () => FilterExpression.number(NumberKeyword.DURATION, NumberOperator.LESS_THAN, NaN),
        /^\[FilterExpression\.number\] value must be a finite number \(got NaN\)/],
      ['Infinity', () => FilterExpression.annotationNumber('k', NumberOperator.LESS_THAN, Infinity), /value must be a finite number \(got Infinity\)/],
      ['exponent', () => FilterExpression.number(NumberKeyword.DURATION, NumberOperator.LESS_THAN, 1e21), /value must be writable without an exponent/],
      ['unknown flag', () => FilterExpression.flag('slow' as FilterFlag), /^\[FilterExpression\.flag\] flag must be one of ok, error, .*\(got "slow"\)/],
      ['operator for strings on a number', () => FilterExpression.number(NumberKeyword.DURATION, StringOperator.CONTAINS as any, 1),
        /^\[FilterExpression\.number\] operator must be one of =, !=, <, <=, >, >= \(got "CONTAINS"\)/],
      ['empty service name', () => FilterExpression.service(''), /^\[FilterExpression\.service\] name must be a non-empty string \(got ""\)\. Use FilterExpression\.anyService\(\)/],
      ['empty edge destination', () => FilterExpression.edge('a', ''), /^\[FilterExpression\.edge\] destination must be a non-empty string/],
      ['annotation inside service()', () => FilterExpression.service('a', FilterExpression.annotationPresent('tenant')),
        /^\[FilterExpression\.service\] filter cannot reference annotations \(annotation\.tenant\) \(got "annotation\.tenant"\)\. X-Ray cannot combine/],
      ['annotation inside edge()', () => FilterExpression.edge('a', 'b', FilterExpression.fromString('fault AND annotation.x')),
        /^\[FilterExpression\.edge\] filter cannot reference annotations/],
      ['annotation inside rootcause', () => FilterExpression.rootCause(RootCauseType.ERROR, RootCauseEntity.EXCEPTION, FilterExpression.annotationPresent('k')),
        /^\[FilterExpression\.rootCause\] filter cannot reference annotations.*Root-cause entities/],
      ['service() inside service()', () => FilterExpression.anyService(FilterExpression.service('a')),
        /^\[FilterExpression\.anyService\] filter cannot contain service\(\), edge\(\), rootcause\.\*, group\.\* or json/],
      ['group inside rootcause', () => FilterExpression.rootCause(RootCauseType.FAULT, RootCauseEntity.SERVICE, FilterExpression.groupName('g')),
        /filter cannot contain service\(\), edge\(\)/],
      ['missing rootcause filter', () => FilterExpression.rootCause(RootCauseType.FAULT, RootCauseEntity.SERVICE, undefined as any), /^\[FilterExpression\.rootCause\] filter is required/],
      ['empty id()', () => FilterExpression.serviceWithId({}), /^\[FilterExpression\.serviceWithId\] id needs at least one of name, type or accountId/],
      ['short account id', () => FilterExpression.edgeWithIds({ name: 'a' }, { accountId: '1234' }),
        /^\[FilterExpression\.edgeWithIds\] destination\.accountId must be a 12-digit AWS account ID \(got "1234"\)/],
      ['group name of 33 characters', () => FilterExpression.groupName('g'.repeat(33)), /^\[FilterExpression\.groupName\] name must be 1 to 32 characters long/],
      ['group ARN of a sampling rule', () => FilterExpression.groupArn('arn:aws:xray:eu-west-1:123456789012:sampling-rule/r'),
        /^\[FilterExpression\.groupArn\] arn must be an X-Ray group ARN/],
      ['non-expression operand', () => FilterExpression.all(fault, 'error' as any), /^\[FilterExpression\.all\] expressions\[1\] must be a FilterExpression \(got "error"\)/],
    ])('rejects %s', (_name, build, message) => {
      expect(build).toThrow(message);
    });

    test('accepts the boundary values', () => {
      expect(FilterExpression.annotationPresent('k'.repeat(500)).annotationKeys).toEqual(['k'.repeat(500)]);
      expect(FilterExpression.annotationPresent('A_1').toString()).toBe('annotation.A_1');
      expect(FilterExpression.groupName('g'.repeat(32)).toString()).toBe(`group.name = "${'g'.repeat(32)}"`);
      expect(FilterExpression.groupName('g').toString()).toBe('group.name = "g"');
      expect(FilterExpression.number(NumberKeyword.DURATION, NumberOperator.EQUALS, 0).toString()).toBe('duration = 0');
      expect(FilterExpression.number(NumberKeyword.DURATION, NumberOperator.GREATER_THAN, 0.000001).toString()).toBe('duration > 0.000001');
    });

    test('unresolved tokens pass unchecked and resolve at synthesis', () => {
      // GIVEN
      const stack = new Stack();
      const name = Lazy.string({ produce: () => 'checkout' });
      const key = Lazy.string({ produce: () => 'tenant' });
      const seconds = Lazy.number({ produce: () => 3 });
      // WHEN
      const service = FilterExpression.service(name, FilterExpression.number(NumberKeyword.RESPONSE_TIME, NumberOperator.GREATER_THAN, seconds));
      const annotation = FilterExpression.annotationString(key, StringOperator.EQUALS, name);
      const ids = FilterExpression.serviceWithId({ accountId: Lazy.string({ produce: () => '123456789012' }) });
      const group = FilterExpression.groupArn(Lazy.string({ produce: () => 'arn:aws:xray:eu-west-1:123456789012:group/g/ID' }));
      // THEN
      expect(Token.isUnresolved(service.toString())).toBe(true);
      expect(stack.resolve(service.toString())).toBe('service("checkout") { responsetime > 3 }');
      expect(stack.resolve(annotation.toString())).toBe('annotation.tenant = "checkout"');
      expect(annotation.annotationKeys).toEqual([]); // a token key is not known at synthesis
      expect(stack.resolve(ids.toString())).toBe('service(id(account.id: "123456789012"))');
      expect(stack.resolve(group.toString())).toBe('group.arn = "arn:aws:xray:eu-west-1:123456789012:group/g/ID"');
      // an annotation given as a token is still an annotation: it cannot go inside service()
      expect(() => FilterExpression.service('a', annotation)).toThrow(/filter cannot reference annotations/);
    });
  });
});

describe('FilterExpression validation table', () => {
  const str = () => Lazy.string({ produce: () => 'x' });
  const num = () => Lazy.number({ produce: () => 2 });
  const rows: ValidationCase[] = [
    ['fromString expression', 'bad', () => FilterExpression.fromString('fault =='), /^\[FilterExpression\.fromString\] expression unknown operator "==" at position 6/],
    ['fromString expression', 'boundary', () => FilterExpression.fromString(`${'('.repeat(100)}ok${')'.repeat(100)}`), undefined],
    ['fromString expression', 'boundary', () => FilterExpression.fromString(`${'('.repeat(101)}ok${')'.repeat(101)}`), /nests deeper than 100 levels/],
    ['fromString expression', 'token', () => FilterExpression.fromString(str()), undefined],
    ['flag', 'bad', () => FilterExpression.flag('slow' as FilterFlag), /^\[FilterExpression\.flag\] flag must be one of/],
    ['flag', 'boundary', () => FilterExpression.notFlag(FilterFlag.ROOT), undefined],
    ['flag', 'boundary', () => FilterExpression.flag('Fault' as FilterFlag), /flag must be one of/],
    ['flag', 'token', () => FilterExpression.fromString(Lazy.string({ produce: () => 'fault' })), undefined],
    ['number value', 'bad', () => FilterExpression.number(NumberKeyword.DURATION, NumberOperator.LESS_THAN, Number.NaN), /value must be a finite number \(got NaN\)/],
    ['number value', 'boundary', () => FilterExpression.number(NumberKeyword.DURATION, NumberOperator.LESS_THAN, 1e20), undefined],
    ['number value', 'boundary', () => FilterExpression.number(NumberKeyword.DURATION, NumberOperator.LESS_THAN, 1e21), /value must be writable without an exponent \(between 1e-6 and 1e21/],
    ['number value', 'token', () => FilterExpression.annotationNumber('k', NumberOperator.GREATER_THAN, num()), undefined],
    ['string value', 'bad', () => FilterExpression.string(StringKeyword.HTTP_URL, StringOperator.CONTAINS, 5 as any), /^\[FilterExpression\.string\] value must be a string \(got 5\)/],
    ['string value', 'boundary', () => FilterExpression.string(StringKeyword.USER, StringOperator.CONTAINS, ''), undefined],
    ['string value', 'boundary', () => FilterExpression.string(StringKeyword.USER, StringOperator.CONTAINS, undefined as any), /value must be a string \(got undefined\)/],
    ['string value', 'token', () => FilterExpression.string(StringKeyword.USER, StringOperator.EQUALS, str()), undefined],
    ['annotation key', 'bad', () => FilterExpression.annotationPresent('tenant-id'), /key may contain only letters, digits and underscores \(got "tenant-id"\)/],
    ['annotation key', 'boundary', () => FilterExpression.annotationPresent('k'.repeat(500)), undefined],
    ['annotation key', 'boundary', () => FilterExpression.annotationPresent('k'.repeat(501)), /key must be 1 to 500 characters long/],
    ['annotation key', 'token', () => FilterExpression.annotationPresent(str()), undefined],
    ['annotationBoolean value', 'bad', () => FilterExpression.annotationBoolean('k', 'true' as any), /value must be true or false \(got "true"\)/],
    ['annotationBoolean value', 'boundary', () => FilterExpression.annotationBoolean('k', false), undefined],
    ['annotationBoolean value', 'boundary', () => FilterExpression.annotationBoolean('k', 0 as any), /value must be true or false \(got 0\)/],
    ['annotationBoolean value', 'token', () => FilterExpression.annotationString('k', StringOperator.EQUALS, str()), undefined],
    ['service name', 'bad', () => FilterExpression.service(7 as any), /^\[FilterExpression\.service\] name must be a non-empty string \(got 7\)/],
    ['service name', 'boundary', () => FilterExpression.service('a'), undefined],
    ['service name', 'boundary', () => FilterExpression.service(''), /name must be a non-empty string \(got ""\)/],
    ['service name', 'token', () => FilterExpression.service(str()), undefined],
    ['edge source', 'bad', () => FilterExpression.edge(undefined as any, 'b'), /^\[FilterExpression\.edge\] source must be a non-empty string \(got undefined\)/],
    ['edge source', 'boundary', () => FilterExpression.edge('a', 'b'), undefined],
    ['edge source', 'boundary', () => FilterExpression.edge('', 'b'), /source must be a non-empty string/],
    ['edge source', 'token', () => FilterExpression.edge(str(), str()), undefined],
    ['id accountId', 'bad', () => FilterExpression.serviceWithId({ accountId: '1234-5678-9012' }), /id\.accountId must be a 12-digit AWS account ID/],
    ['id accountId', 'boundary', () => FilterExpression.serviceWithId({ accountId: '123456789012' }), undefined],
    ['id accountId', 'boundary', () => FilterExpression.serviceWithId({ accountId: '1234567890123' }), /must be a 12-digit AWS account ID \(got "1234567890123"\)/],
    ['id accountId', 'token', () => FilterExpression.serviceWithId({ accountId: str() }), undefined],
    ['groupName name', 'bad', () => FilterExpression.groupName(''), /^\[FilterExpression\.groupName\] name must be 1 to 32 characters long \(got ""\)/],
    ['groupName name', 'boundary', () => FilterExpression.groupName('g'.repeat(32)), undefined],
    ['groupName name', 'boundary', () => FilterExpression.groupName('g'.repeat(33)), /name must be 1 to 32 characters long/],
    ['groupName name', 'token', () => FilterExpression.groupName(str()), undefined],
    ['groupArn arn', 'bad', () => FilterExpression.groupArn('errors'), /^\[FilterExpression\.groupArn\] arn must be an X-Ray group ARN \(got "errors"\)/],
    ['groupArn arn', 'boundary', () => FilterExpression.groupArn(`arn:aws:xray:eu-west-1:123456789012:group/${'g'.repeat(358)}`), undefined],
    ['groupArn arn', 'boundary', () => FilterExpression.groupArn(`arn:aws:xray:eu-west-1:123456789012:group/${'g'.repeat(359)}`), /arn must be an X-Ray group ARN/],
    ['groupArn arn', 'token', () => FilterExpression.groupArn(str()), undefined],
    ['all expressions', 'bad', () => FilterExpression.all(fault, 'error' as any), /expressions\[1\] must be a FilterExpression \(got "error"\)/],
    ['all expressions', 'boundary', () => FilterExpression.all(fault), undefined],
    ['all expressions', 'boundary', () => FilterExpression.any(), /^\[FilterExpression\.any\] expressions must contain at least one expression \(got \[\]\)/],
    ['all expressions', 'token', () => FilterExpression.all(fault, FilterExpression.fromString(str())), undefined],
  ];

  test('every validated prop has a bad, a boundary and a token case', () => expectCompleteTable(rows));

  test.each(rows)('%s (%s) %#', (_prop, _kind, build, expected) => {
    expectCase(build, expected);
  });
});
