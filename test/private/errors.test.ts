import { App, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  childPath, renderValue, fail, problemMessage, requireSingleLinePrintable, rethrowWithPath,
  singleLinePrintableProblem, unwrapResolutionError, validationMessage,
} from '../../src/private/errors';
import { errorOf } from '../util';

/** The message of an error thrown while aws-cdk-lib resolves a token nested three levels deep. */
function resolutionErrorOf(inner: string): string {
  const app = new App();
  const stack = new Stack(app, 'S');
  new CfnResource(stack, 'R', {
    type: 'X::Y::Z',
    properties: { A: Lazy.any({ produce: () => ({ B: Lazy.string({ produce: () => { throw new Error(inner); } }) }) }) },
  });
  return errorOf(() => app.synth());
}

describe('problemMessage and fail', () => {
  test('the house format', () => {
    expect(problemMessage('Stack/X', 'size', 'must be 1 or more', 0, 'Pass 1.')).toBe('[Stack/X] size must be 1 or more (got 0). Pass 1.');
  });

  test('regression: a problem that already starts with the same path prints it once', () => {
    expect(problemMessage('Stack/X', 'filter', '[Stack/X] is wrong', 'a', 'Fix it.')).toBe('[Stack/X] filter is wrong (got "a"). Fix it.');
  });

  test('regression: a problem caught from a token resolution loses the repeated "Resolution error:" wrapping', () => {
    const caught = resolutionErrorOf('bad value in the filter');
    expect(caught).toMatch(/^(Resolution error: ){2,}bad value in the filter\.{2,}/);
    expect(() => fail('Stack/X', 'filter', caught, 'a', 'Fix it.')).toThrow(/^\[Stack\/X\] filter bad value in the filter \(got "a"\)\. Fix it\.$/);
  });
});

describe('unwrapResolutionError', () => {
  test('strips every level and the dot each adds, keeps the message\'s own final dot', () => {
    const caught = resolutionErrorOf('[S/R] size must be 1 (got 0). Pass 1.');
    expect(unwrapResolutionError(caught)).toBe('[S/R] size must be 1 (got 0). Pass 1.');
  });

  test('a message without the wrapping is unchanged', () => {
    expect(unwrapResolutionError('plain...')).toBe('plain...');
  });

  test('the creation stack after the message is dropped', () => {
    expect(unwrapResolutionError('Resolution error: boom.\nObject creation stack:\n  at x')).toBe('boom');
  });
});

describe('rethrowWithPath', () => {
  test('regression: an aws-cdk-lib ValidationError gets the path, the prop and the fix', () => {
    // GIVEN: aws-cdk-lib's Stage refuses a format without the request id, with no path in its message
    const stack = new Stack(new App(), 'S');
    const api = new apigw.RestApi(stack, 'Api', { deploy: false });
    api.root.addMethod('GET');
    let caught: unknown;
    try {
      new apigw.Stage(stack, 'Stage', {
        deployment: new apigw.Deployment(stack, 'D', { api }),
        accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(stack, 'G')),
        accessLogFormat: apigw.AccessLogFormat.custom('$context.status'),
      });
    } catch (e) {
      caught = e;
    }
    expect((caught as Error).message).not.toMatch(/^\[/);
    // WHEN / THEN: the error's own construct (S/Stage, below S) is named
    expect(errorOf(() => rethrowWithPath(stack, 'accessLogFormat', caught, 'Add $context.requestId.', '$context.status'))).toBe(
      '[S/Stage] accessLogFormat is refused by aws-cdk-lib: Access log must include either `AccessLogFormat.contextRequestId()` or ' +
      '`AccessLogFormat.contextExtendedRequestId()` (got "$context.status"). Add $context.requestId.');
  });

  test('an error already in the house format is re-thrown as is, unwrapped, so the path is printed once', () => {
    const caught = resolutionErrorOf('[S/R] size must be 1 (got 0). Pass 1.');
    expect(errorOf(() => rethrowWithPath('S/R', 'size', caught, 'ignored'))).toBe('[S/R] size must be 1 (got 0). Pass 1.');
  });

  test('a plain error without got: no "(got …)" is invented', () => {
    expect(errorOf(() => rethrowWithPath('S/X', 'cacheTtl', new Error("'1.5 seconds' cannot be converted into a whole number of seconds."), 'Pass whole seconds.')))
      .toBe("[S/X] cacheTtl is refused by aws-cdk-lib: '1.5 seconds' cannot be converted into a whole number of seconds. Pass whole seconds.");
  });

  test('a thrown non-Error value is described', () => {
    expect(errorOf(() => rethrowWithPath('S/X', 'p', 'boom', 'Fix.'))).toBe('[S/X] p is refused by aws-cdk-lib: boom. Fix.');
  });
});

describe('childPath', () => {
  test('regression: a child of the app has no leading slash; a child of a stack has the stack path', () => {
    const app = new App();
    expect(childPath(app, 'Api')).toBe('Api');
    expect(childPath(new Stack(app, 'S'), 'Api')).toBe('S/Api');
  });
});

describe('renderValue', () => {
  test.each([
    [undefined, 'undefined'],
    ['x', '"x"'],
    [5, '5'],
    [NaN, 'NaN'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: 1 }, '{"a":1}'],
    [Token.asString({ Ref: 'P' }), '<token>'],
    [Token.asNumber({ Ref: 'P' }), '<token>'],
    [Token.asAny({ Ref: 'P' }), '<token>'],
    [BigInt(7), '7'],
    [() => 1, '<function anonymous>'],
  ])('%p is %s', (value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });

  test('regression: circular objects and constructs never throw; constructs are named by path', () => {
    const circular: any = { a: 1 };
    circular.self = circular;
    expect(renderValue(circular)).toBe('[object Object]');
    expect(renderValue(new Stack(new App(), 'S'))).toBe('<construct S>');
  });

  test('a long value is cut at 500 characters', () => {
    const text = renderValue('x'.repeat(2000));
    expect(text).toHaveLength(500);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('single-line printable values', () => {
  test.each([
    ['service\nname', 'U+000A (line feed) at index 7'],
    ['a\rb', 'U+000D (carriage return) at index 1'],
    ['tab\there', 'U+0009 (tab) at index 3'],
    ['nul\u0000', 'U+0000 (NUL) at index 3'],
    ['del\u007f', 'U+007F (delete) at index 3'],
    ['nel\u0085', 'U+0085 (next line) at index 3'],
    ['ls\u2028', 'U+2028 (line separator) at index 2'],
    ['ps\u2029', 'U+2029 (paragraph separator) at index 2'],
    ['esc\u001b[31m', 'U+001B (escape) at index 3'],
    ['lone\ud800', 'U+D800 (unpaired surrogate) at index 4'],
  ])('%j is refused: %s', (value, where) => {
    expect(singleLinePrintableProblem(value)).toBe(`must be one line of printable characters: ${where}`);
  });

  test.each([
    ['checkout-service'],
    ['with spaces, commas=and equals'],
    ['ünïcødé 服务 🚀'],
    [''],
  ])('%j passes', value => {
    expect(singleLinePrintableProblem(value)).toBeUndefined();
  });

  test('a token passes (checked at deploy)', () => {
    expect(singleLinePrintableProblem(Token.asString({ Ref: 'P' }))).toBeUndefined();
  });

  test('requireSingleLinePrintable throws in the house format', () => {
    expect(errorOf(() => requireSingleLinePrintable('S/Fn', 'serviceName', 'a\nb', 'Use one line.')))
      .toBe('[S/Fn] serviceName must be one line of printable characters: U+000A (line feed) at index 1 (got "a\\nb"). Use one line.');
  });
});

describe('validationMessage', () => {
  test('regression: a validation message about its holder names the path once when aws-cdk-lib prints it', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    const child = new Stack(app, 'Other');
    stack.node.addValidation({ validate: () => [validationMessage(stack, stack, 'size', 'must be 1 or more', 0, 'Pass 1.')] });
    child.node.addValidation({ validate: () => [validationMessage(child, `${child.node.path}/App`, 'port', 'is mapped twice', 80, 'Map it once.')] });
    // WHEN
    const message = errorOf(() => app.synth());
    // THEN
    expect(message).toContain('[S] size must be 1 or more (got 0). Pass 1.');
    expect(message).not.toContain('[S] [S]');
    expect(message).toContain('[Other] [Other/App] port is mapped twice (got 80). Map it once.');
  });
});
