import { AppError } from '../common/app-error';
import { sourceFromConfig, sourceFromInput } from './source-input';

const strict = {
  allowLoopback: false,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};
const loopback = { ...strict, allowLoopback: true, allowPlainHttpLoopback: true };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('telemetry source input', () => {
  it('holds a Prometheus URL to the cluster URL guards', () => {
    const url = (u: string, policy = strict) =>
      codeOf(() => sourceFromInput({ type: 'url', url: u }, policy));
    expect(url('https://169.254.169.254/')).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
    expect(url('https://metadata.google.internal/')).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
    expect(url('https://127.0.0.1:9090')).toBe('CLUSTER_URL_LOOPBACK_FORBIDDEN');
    expect(url('http://prom.example.com')).toBe('CLUSTER_URL_INSECURE_SCHEME');
    expect(url('https://user:pw@prom.example.com')).toBe('CLUSTER_URL_INVALID');
    expect(url('http://127.0.0.1:9090', loopback)).toBeUndefined();
  });

  it('keeps a path prefix (Thanos, Mimir behind /prometheus) and the credential', () => {
    expect(
      sourceFromInput(
        { type: 'url', url: 'https://mimir.example.com/prometheus/', bearerToken: 't0ken' },
        strict,
      ),
    ).toEqual({
      type: 'url',
      url: 'https://mimir.example.com/prometheus',
      auth: { type: 'bearer', token: 't0ken' },
    });
    expect(
      sourceFromInput(
        { type: 'url', url: 'https://vm.example.com', username: 'u', password: 'p:w' },
        strict,
      ),
    ).toMatchObject({ auth: { type: 'basic', username: 'u', password: 'p:w' } });
  });

  it('refuses mixed credentials and fields of the other type', () => {
    const base = { type: 'url' as const, url: 'https://p.example.com' };
    expect(
      codeOf(() =>
        sourceFromInput({ ...base, bearerToken: 'a', username: 'b', password: 'c' }, strict),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf(() => sourceFromInput({ ...base, username: 'b' }, strict))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => sourceFromInput({ ...base, service: 'prometheus' }, strict))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      codeOf(() => sourceFromInput({ type: 'inCluster', url: 'https://x.example.com' }, strict)),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf(() => sourceFromInput({ type: 'inCluster', service: 'prom' }, strict))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('an in-cluster source names a Service or leaves discovery to the well-known names', () => {
    expect(sourceFromInput({ type: 'inCluster' }, strict)).toEqual({ type: 'inCluster' });
    expect(
      sourceFromInput(
        { type: 'inCluster', namespace: 'monitoring', service: 'prometheus-k8s', port: 'web' },
        strict,
      ),
    ).toEqual({
      type: 'inCluster',
      service: { namespace: 'monitoring', name: 'prometheus-k8s', port: 'web' },
    });
  });

  it('instant mode reads the config keys; unset is not configured', () => {
    expect(sourceFromConfig({}, strict)).toBeUndefined();
    expect(sourceFromConfig({ prometheusUrl: 'in-cluster' }, strict)).toEqual({
      type: 'inCluster',
    });
    expect(
      sourceFromConfig({ prometheusUrl: 'https://p.example.com', basicAuth: 'me:se:cret' }, strict),
    ).toMatchObject({ auth: { type: 'basic', username: 'me', password: 'se:cret' } });
  });
});
