import { capJson, REDACTED, Redactor } from './redactor';

describe('Redactor', () => {
  const r = new Redactor(['ACME-[0-9]{6}'], ['sk-literal-provider-key']);

  it('redacts the token of a kubeconfig held as text, keeping the rest', () => {
    const kubeconfig =
      'users:\n- name: a\n  user:\n    token: abcdefghijkl\n    client-key-data: LS0tLS1CRUdJTg==\nclusters: []';
    const out = r.text(kubeconfig);
    expect(out).toContain(`token: ${REDACTED}`);
    expect(out).toContain(`client-key-data: ${REDACTED}`);
    expect(out).toContain('clusters: []');
    expect(out).not.toMatch(/abcdefghijkl|LS0tLS1CRUdJTg/);
  });

  it('redacts the same inside escaped JSON (a last-applied annotation)', () => {
    const annotation = JSON.stringify({ data: { kubeconfig: 'user:\n  token: abcdefghijkl\n' } });
    expect(r.text(annotation)).not.toContain('abcdefghijkl');
  });

  it('redacts bearer tokens, JWTs, private keys, configured patterns and literals', () => {
    const text = [
      'Authorization: Bearer abc.def.ghi123456',
      'sa eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3g',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
      'order ACME-123456',
      'key sk-literal-provider-key',
    ].join('\n');
    const out = r.text(text);
    for (const leak of [
      'abc.def.ghi123456',
      'eyJzdWIiOiJ4In0',
      'MIIEow',
      'ACME-123456',
      'sk-literal-provider-key',
    ])
      expect(out).not.toContain(leak);
  });

  it('leaves ordinary words alone', () => {
    expect(r.text('the token bucket refills; password policy applies')).toBe(
      'the token bucket refills; password policy applies',
    );
  });

  it('redacts secret-named fields and the literal values of secret-looking env vars, not references', () => {
    const pod = {
      spec: {
        containers: [
          {
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } },
            ],
          },
        ],
      },
      metadata: { annotations: { token: 'zzzzzzzz' } },
    };
    const out = r.value(pod) as typeof pod;
    const env = out.spec.containers[0].env;
    expect(env[0].value).toBe(REDACTED);
    expect(env[1].value).toBe('debug');
    expect(env[2]).toEqual(pod.spec.containers[0].env[2]);
    expect(out.metadata.annotations.token).toBe(REDACTED);
  });

  it('drops the data of a Secret body if one ever gets here', () => {
    expect(r.value({ kind: 'Secret', metadata: { name: 's' }, data: { a: 'c2VjcmV0' } })).toEqual({
      kind: 'Secret',
      metadata: { name: 's' },
    });
  });
});

describe('capJson', () => {
  it('keeps whole items of a long list and says how many it left out', () => {
    const list = {
      items: Array.from({ length: 100 }, (_, i) => ({ name: `item-${i}`, pad: 'x'.repeat(50) })),
    };
    const out = JSON.parse(capJson(list, 2000));
    expect(out.truncated).toBe(true);
    expect(out.items.length + out.omittedItems).toBe(100);
    expect(capJson(list, 2000).length).toBeLessThanOrEqual(2000);
  });

  it('cuts anything else and marks it, within the cap', () => {
    const out = capJson({ text: 'y'.repeat(10_000) }, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(JSON.parse(out).truncated).toBe(true);
  });

  it('stays within the cap when the cut text needs escaping', () => {
    const out = capJson({ text: '"\\'.repeat(5_000) }, 1000);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1000);
  });

  it('returns small values as they are', () => {
    expect(capJson({ a: 1 }, 100)).toBe('{"a":1}');
  });
});
