import { classifyFailure, expectOk, KubeRequestError } from './errors';

describe('classifyFailure', () => {
  it.each([
    [409, undefined, 'conflict'],
    [422, undefined, 'invalid'],
    [400, undefined, 'invalid'],
    [
      500,
      'failed to create typed patch object (x): .spec: expected map',
      'invalid',
    ],
    [500, 'etcdserver: request timed out', 'transient'],
    [401, undefined, 'forbidden'],
    [403, undefined, 'forbidden'],
    [404, undefined, 'not-found'],
    [503, undefined, 'transient'],
    [429, undefined, 'transient'],
  ])('HTTP %i (%s) is %s', (status, message, kind) => {
    expect(classifyFailure({ status, body: { message } })).toBe(kind);
  });
});

describe('expectOk', () => {
  it('returns the body of a 2xx answer', () => {
    expect(expectOk({ status: 201, body: { a: 1 } }, 'create')).toEqual({
      a: 1,
    });
  });

  it("throws the classified error with the server's reason", () => {
    const thrown = (() => {
      try {
        return expectOk(
          { status: 403, body: { message: 'configmaps is forbidden' } },
          'apply ConfigMap ml/c',
        );
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(KubeRequestError);
    expect(thrown).toMatchObject({
      kind: 'forbidden',
      status: 403,
      message: 'apply ConfigMap ml/c: configmaps is forbidden',
    });
  });

  it('falls back to the text, then to the status, when no Status came back', () => {
    expect(() =>
      expectOk({ status: 502, body: 'Bad Gateway\n' }, 'get'),
    ).toThrow('get: Bad Gateway');
    expect(() => expectOk({ status: 502, body: '' }, 'get')).toThrow(
      'get: HTTP 502',
    );
  });
});
