import { AppError } from '../common/app-error';
import { mapK8sResponse, mapK8sTransportError } from './k8s-error-mapping';

const status = (message: string, reason: string, details: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'Status', status: 'Failure', message, reason, details });

describe('mapK8sResponse', () => {
  it.each([
    [400, 'K8S_INVALID', 422],
    [422, 'K8S_INVALID', 422],
    [401, 'CLUSTER_AUTH_FAILED', 502],
    [403, 'K8S_FORBIDDEN', 403],
    [404, 'K8S_NOT_FOUND', 404],
    [409, 'K8S_CONFLICT', 409],
    [410, 'K8S_GONE', 410],
    [429, 'K8S_THROTTLED', 429],
    [504, 'CLUSTER_TIMEOUT', 504],
    [500, 'CLUSTER_ERROR', 502],
  ])('maps HTTP %i from the API server to %s (%i)', (httpStatus, code, ourStatus) => {
    const error = mapK8sResponse('c1', httpStatus, status('m', 'R'), null);
    expect(error).toBeInstanceOf(AppError);
    expect([error.code, error.status]).toEqual([code, ourStatus]);
  });

  it("relays the API server's message and causes for invalid objects", () => {
    const body = status(
      'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1',
      'Invalid',
      {
        name: 'x',
        kind: 'deployments',
        causes: [{ field: 'spec.replicas', message: 'must be >= 0' }],
      },
    );
    const error = mapK8sResponse('c1', 422, body, null);
    expect(error.message).toContain('spec.replicas');
    expect(error.details).toMatchObject({
      cluster: 'c1',
      kind: 'deployments',
      name: 'x',
      causes: [{ field: 'spec.replicas' }],
    });
  });

  it('never relays anything for a rejected credential', () => {
    const error = mapK8sResponse(
      'c1',
      401,
      status('Unauthorized: token abc', 'Unauthorized'),
      null,
    );
    expect(error.message).not.toContain('abc');
  });

  it('honours Retry-After when throttled, and answers with it', () => {
    const error = mapK8sResponse('c1', 429, status('slow down', 'TooManyRequests'), '7');
    expect(error.details).toMatchObject({ retryAfterSeconds: 7 });
    expect(error.headers).toEqual({ 'Retry-After': '7' });
  });

  it('answers a Retry-After of at least one whole second', () => {
    expect(mapK8sResponse('c1', 429, '', '0.2').details).toMatchObject({ retryAfterSeconds: 1 });
    expect(mapK8sResponse('c1', 429, '', 'soon').details).toMatchObject({ retryAfterSeconds: 1 });
    expect(
      mapK8sResponse('c1', 429, status('x', 'TooManyRequests', { retryAfterSeconds: 3 }), null)
        .details,
    ).toMatchObject({ retryAfterSeconds: 3 });
  });

  it('copes with a body that is not a Status', () => {
    expect(mapK8sResponse('c1', 404, '<html>nope</html>', null).message).toBe('Not found');
  });
});

describe('mapK8sTransportError', () => {
  const withCause = (code: string) =>
    Object.assign(new TypeError('fetch failed: Authorization: Bearer secret'), { cause: { code } });

  it('maps an exceeded deadline to CLUSTER_TIMEOUT', () => {
    expect(mapK8sTransportError('c1', new DOMException('aborted', 'TimeoutError'), true).code).toBe(
      'CLUSTER_TIMEOUT',
    );
    expect(mapK8sTransportError('c1', withCause('UND_ERR_CONNECT_TIMEOUT'), false).code).toBe(
      'CLUSTER_TIMEOUT',
    );
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'])(
    'maps %s to CLUSTER_UNREACHABLE naming the cause',
    (code) => {
      const error = mapK8sTransportError('c1', withCause(code), false);
      expect([error.code, error.status]).toEqual(['CLUSTER_UNREACHABLE', 503]);
      expect(error.message).toContain(code);
    },
  );

  it('maps TLS failures to CLUSTER_UNREACHABLE', () => {
    expect(
      mapK8sTransportError('c1', withCause('DEPTH_ZERO_SELF_SIGNED_CERT'), false).message,
    ).toMatch(/TLS handshake/);
  });

  it('maps a connection cut mid-stream or an HTTP/2 session torn down to CLUSTER_UNREACHABLE', () => {
    const terminated = Object.assign(new TypeError('terminated'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(mapK8sTransportError('c1', terminated, false).code).toBe('CLUSTER_UNREACHABLE');
    expect(mapK8sTransportError('c1', withCause('ERR_HTTP2_GOAWAY_SESSION'), false)).toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      details: { cause: 'ERR_HTTP2_GOAWAY_SESSION' },
    });
  });

  it('passes on the refusal of the address guard that ran inside the socket', () => {
    const refusal = new AppError('CLUSTER_URL_FORBIDDEN_ADDRESS', 'refused');
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: refusal });
    expect(mapK8sTransportError('c1', wrapped, false)).toBe(refusal);
  });

  it('never relays the original message, which may embed headers', () => {
    const error = mapK8sTransportError('c1', withCause('WEIRD_CODE'), false);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toMatch(/secret|Bearer/);
  });
});
