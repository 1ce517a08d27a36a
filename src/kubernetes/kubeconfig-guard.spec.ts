import { stringify } from 'yaml';
import { AppError } from '../common/app-error';
import { ConnectionPolicy } from './cluster-connection';
import { ALL_CONTEXTS, MAX_KUBECONFIG_BYTES, parseUntrustedKubeconfig } from './kubeconfig-guard';
import {
  CA_CERT_PEM,
  CLIENT_CERT_PEM,
  CLIENT_KEY_PEM,
  OTHER_KEY_PEM,
  pemData,
} from './testing/pem-fixtures';

const STRICT: ConnectionPolicy = {
  allowLoopback: false,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2VuLWJvZHk.sig-TOPSECRET';
const CA = pemData(CA_CERT_PEM);
const CERT = pemData(CLIENT_CERT_PEM);
const KEY = pemData(CLIENT_KEY_PEM);
const SECRETS = [TOKEN, 'TOPSECRET', KEY, KEY.slice(40, 80), 's3cr3t-password'];

type Mapping = Record<string, unknown>;

/** A minimal valid kubeconfig: context "dev" → cluster "dev-cluster" + user "alice" (token). */
function kubeconfig(
  parts: { cluster?: Mapping; user?: Mapping; context?: Mapping; root?: Mapping } = {},
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'dev',
    clusters: [
      {
        name: 'dev-cluster',
        cluster: {
          server: 'https://10.0.0.1:6443',
          'certificate-authority-data': CA,
          ...parts.cluster,
        },
      },
    ],
    users: [{ name: 'alice', user: { token: TOKEN, ...parts.user } }],
    contexts: [
      { name: 'dev', context: { cluster: 'dev-cluster', user: 'alice', ...parts.context } },
    ],
    ...parts.root,
  });
}

const certUser = { token: undefined, 'client-certificate-data': CERT, 'client-key-data': KEY };

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

function outcome(text: string, policy: ConnectionPolicy = STRICT, context?: string): string {
  try {
    parseUntrustedKubeconfig(text, policy, context);
    return 'OK';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('parseUntrustedKubeconfig accepts', () => {
  it('a token user with inline CA data, as the current context', () => {
    expect(parseUntrustedKubeconfig(kubeconfig(), STRICT)).toEqual([
      {
        context: 'dev',
        cluster: 'dev-cluster',
        user: 'alice',
        connection: {
          server: 'https://10.0.0.1:6443',
          caData: CA,
          auth: { type: 'token', token: TOKEN },
        },
      },
    ]);
  });

  it('a client certificate with its matching key', () => {
    const [parsed] = parseUntrustedKubeconfig(kubeconfig({ user: certUser }), STRICT);
    expect(parsed.connection.auth).toEqual({
      type: 'clientCertificate',
      certData: CERT,
      keyData: KEY,
    });
  });

  it('base64 split over lines, and stores it without the line breaks', () => {
    const wrapped = CERT.replace(/(.{64})/g, '$1\n');
    const [parsed] = parseUntrustedKubeconfig(
      kubeconfig({ user: { ...certUser, 'client-certificate-data': wrapped } }),
      STRICT,
    );
    expect(parsed.connection.auth).toMatchObject({ certData: CERT });
  });

  it('namespace, tls-server-name (as tlsServerName) and a server path, without a trailing slash', () => {
    const text = kubeconfig({
      cluster: {
        server: 'https://rancher.example.com/k8s/clusters/c-1/',
        'tls-server-name': 'kubernetes.default.svc',
      },
      context: { namespace: 'shop' },
    });
    const [parsed] = parseUntrustedKubeconfig(text, STRICT);
    expect(parsed.namespace).toBe('shop');
    expect(parsed.connection).toMatchObject({
      server: 'https://rancher.example.com/k8s/clusters/c-1',
      tlsServerName: 'kubernetes.default.svc',
    });
  });

  it('a cluster without CA data (system trust store) and a file without kind', () => {
    const text = kubeconfig({
      cluster: { 'certificate-authority-data': undefined },
      root: { kind: undefined, apiVersion: undefined },
    });
    expect(parseUntrustedKubeconfig(text, STRICT)[0].connection).toEqual({
      server: 'https://10.0.0.1:6443',
      auth: { type: 'token', token: TOKEN },
    });
  });

  it('insecure-skip-tls-verify: false as if absent', () => {
    expect(
      parseUntrustedKubeconfig(
        kubeconfig({ cluster: { 'insecure-skip-tls-verify': false } }),
        STRICT,
      )[0].connection.insecureSkipTlsVerify,
    ).toBeUndefined();
  });

  it('a single YAML alias (hand-written files use them)', () => {
    const text =
      kubeconfig().replace('cluster:\n      server:', 'cluster: &c\n      server:') +
      'extensions:\n  - name: copy\n    extension: *c\n';
    expect(outcome(text)).toBe('OK');
  });
});

describe('parseUntrustedKubeconfig refuses hostile users and clusters with their own code', () => {
  it.each([
    [
      'exec plugin',
      {
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: 'sh',
            args: ['-c', 'id'],
          },
        },
      },
      'KUBECONFIG_EXEC_FORBIDDEN',
    ],
    ['empty exec (still an exec user)', { user: { exec: {} } }, 'KUBECONFIG_EXEC_FORBIDDEN'],
    [
      'auth-provider',
      { user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } } },
      'KUBECONFIG_AUTH_PROVIDER_FORBIDDEN',
    ],
    [
      'tokenFile',
      {
        user: {
          token: undefined,
          tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        },
      },
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    ],
    [
      'token-file (client-node reads it)',
      { user: { 'token-file': '/etc/shadow' } },
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    ],
    [
      'client-certificate path',
      { user: { ...certUser, 'client-certificate': '/etc/kubernetes/pki/admin.crt' } },
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    ],
    [
      'client-key path',
      { user: { ...certUser, 'client-key': '/etc/kubernetes/pki/admin.key' } },
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    ],
    [
      'certificate-authority path',
      { cluster: { 'certificate-authority': '/etc/kubernetes/pki/ca.crt' } },
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    ],
    [
      'username + password',
      { user: { token: undefined, username: 'admin', password: 's3cr3t-password' } },
      'KUBECONFIG_BASIC_AUTH_FORBIDDEN',
    ],
    [
      'password alone',
      { user: { password: 's3cr3t-password' } },
      'KUBECONFIG_BASIC_AUTH_FORBIDDEN',
    ],
    ['username alone', { user: { username: 'admin' } }, 'KUBECONFIG_BASIC_AUTH_FORBIDDEN'],
    ['as', { user: { as: 'system:admin' } }, 'KUBECONFIG_IMPERSONATION_FORBIDDEN'],
    [
      'as-groups',
      { user: { 'as-groups': ['system:masters'] } },
      'KUBECONFIG_IMPERSONATION_FORBIDDEN',
    ],
    ['as-uid', { user: { 'as-uid': '1234' } }, 'KUBECONFIG_IMPERSONATION_FORBIDDEN'],
    [
      'as-user-extra',
      { user: { 'as-user-extra': { scopes: ['all'] } } },
      'KUBECONFIG_IMPERSONATION_FORBIDDEN',
    ],
    [
      'proxy-url',
      { cluster: { 'proxy-url': 'socks5://10.0.0.9:1080' } },
      'KUBECONFIG_PROXY_FORBIDDEN',
    ],
    [
      'insecure-skip-tls-verify',
      { cluster: { 'insecure-skip-tls-verify': true } },
      'KUBECONFIG_INSECURE_TLS_FORBIDDEN',
    ],
    [
      'a user with neither token nor certificate',
      { user: { token: undefined } },
      'KUBECONFIG_NO_CREDENTIALS',
    ],
    ['an empty token', { user: { token: '' } }, 'KUBECONFIG_NO_CREDENTIALS'],
    [
      'a metadata server',
      { cluster: { server: 'https://169.254.169.254' } },
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
    ],
    [
      'a decimal metadata server',
      { cluster: { server: 'https://2852039166:6443' } },
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
    ],
    [
      'a plain http server',
      { cluster: { server: 'http://10.0.0.1:6443' } },
      'CLUSTER_URL_INSECURE_SCHEME',
    ],
    [
      'a loopback server',
      { cluster: { server: 'https://127.0.0.1:6443' } },
      'CLUSTER_URL_LOOPBACK_FORBIDDEN',
    ],
    [
      'a server URL with credentials',
      { cluster: { server: 'https://admin:s3cr3t-password@10.0.0.1' } },
      'CLUSTER_URL_INVALID',
    ],
  ] as const)('%s → %s', (_name, parts, code) => {
    expect(outcome(kubeconfig(parts))).toBe(code);
  });

  it('accepts the nearest benign forms: *-data instead of paths, a private server, a token', () => {
    expect(
      outcome(
        kubeconfig({
          user: certUser,
          cluster: { 'certificate-authority-data': CA, server: 'https://192.168.49.2:8443' },
        }),
      ),
    ).toBe('OK');
  });

  it('accepts insecure-skip-tls-verify when the operator allows it, and keeps it', () => {
    const text = kubeconfig({ cluster: { 'insecure-skip-tls-verify': true } });
    const [parsed] = parseUntrustedKubeconfig(text, {
      ...STRICT,
      allowInsecureSkipTlsVerify: true,
    });
    expect(parsed.connection.insecureSkipTlsVerify).toBe(true);
  });

  it('accepts a loopback server when the operator allows it, and plain http only with allowPlainHttpLoopback', () => {
    expect(
      outcome(kubeconfig({ cluster: { server: 'https://127.0.0.1:6443' } }), {
        ...STRICT,
        allowLoopback: true,
      }),
    ).toBe('OK');
    const http = kubeconfig({ cluster: { server: 'http://127.0.0.1:8080' } });
    expect(outcome(http, { ...STRICT, allowLoopback: true })).toBe('CLUSTER_URL_INSECURE_SCHEME');
    expect(outcome(http, { ...STRICT, allowLoopback: true, allowPlainHttpLoopback: true })).toBe(
      'OK',
    );
  });

  it('names the user, the context and the field at fault', () => {
    const error = errorOf(() =>
      parseUntrustedKubeconfig(kubeconfig({ user: { exec: { command: 'aws' } } }), STRICT),
    );
    expect(error.message).toMatch(/^User "alice" \(context "dev"\) sets exec/);
    expect(error.details).toEqual({ context: 'dev', user: 'alice', field: 'exec' });
  });

  it('names the cluster at fault for a server refusal, keeping the URL guard code and host', () => {
    const error = errorOf(() =>
      parseUntrustedKubeconfig(
        kubeconfig({ cluster: { server: 'https://169.254.169.254' } }),
        STRICT,
      ),
    );
    expect(error.code).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
    expect(error.message).toMatch(/^Cluster "dev-cluster" \(context "dev"\): /);
    expect(error.details).toEqual({
      host: '169.254.169.254',
      context: 'dev',
      cluster: 'dev-cluster',
      field: 'server',
    });
  });
});

describe('parseUntrustedKubeconfig refuses malformed credentials and TLS data as KUBECONFIG_INVALID', () => {
  it.each([
    [
      'a certificate without its key',
      { user: { ...certUser, 'client-key-data': undefined } },
      'client certificate without its key',
    ],
    [
      'a key without its certificate',
      { user: { ...certUser, 'client-certificate-data': undefined } },
      'client key without its certificate',
    ],
    [
      'both a token and a certificate',
      { user: { ...certUser, token: TOKEN } },
      'both a token and a client certificate',
    ],
    [
      'a key that does not match the certificate',
      { user: { ...certUser, 'client-key-data': pemData(OTHER_KEY_PEM) } },
      'does not belong to its client-certificate-data',
    ],
    [
      'certificate data that is not base64',
      { user: { ...certUser, 'client-certificate-data': 'not base64 at all!' } },
      'client-certificate-data that is not base64',
    ],
    [
      'certificate data that is base64 of something else',
      { user: { ...certUser, 'client-certificate-data': Buffer.from('hello').toString('base64') } },
      'client-certificate-data that is not base64 of a PEM CERTIFICATE block',
    ],
    [
      'certificate data holding a key',
      { user: { ...certUser, 'client-certificate-data': KEY } },
      'client-certificate-data that is not base64 of a PEM CERTIFICATE block',
    ],
    [
      'key data holding a certificate',
      { user: { ...certUser, 'client-key-data': CERT } },
      'client-key-data that is not base64 of a PEM PRIVATE KEY',
    ],
    [
      'raw PEM instead of base64',
      { user: { ...certUser, 'client-certificate-data': CLIENT_CERT_PEM } },
      'client-certificate-data that is not base64',
    ],
    [
      'a PEM certificate whose body is garbage',
      {
        user: {
          ...certUser,
          'client-certificate-data': pemData(
            '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
          ),
        },
      },
      'not a valid X.509 certificate',
    ],
    [
      'a PEM private key whose body is garbage',
      {
        user: {
          ...certUser,
          'client-key-data': pemData(
            '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
          ),
        },
      },
      'not an unencrypted private key',
    ],
    [
      'an encrypted private key',
      {
        user: {
          ...certUser,
          'client-key-data': pemData(
            '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n',
          ),
        },
      },
      'client-key-data that is not base64 of a PEM PRIVATE KEY',
    ],
    [
      'CA data that is a key',
      { cluster: { 'certificate-authority-data': KEY } },
      'certificate-authority-data that is not base64 of a PEM CERTIFICATE block',
    ],
    [
      'CA data that is not base64',
      { cluster: { 'certificate-authority-data': '%%%' } },
      'certificate-authority-data that is not base64',
    ],
    [
      'a token with a line break (header injection)',
      { user: { token: 'abc\r\nX-Injected: 1' } },
      'invalid token',
    ],
    ['a token that is not a string', { user: { token: 12345 } }, 'invalid token'],
    [
      'insecure-skip-tls-verify: "yes"',
      { cluster: { 'insecure-skip-tls-verify': 'yes' } },
      'insecure-skip-tls-verify that is not true or false',
    ],
    [
      'a tls-server-name with spaces',
      { cluster: { 'tls-server-name': 'not a host name' } },
      'invalid tls-server-name',
    ],
    [
      'a namespace that is not a DNS label',
      { context: { namespace: 'Not_A_Namespace' } },
      'Context "dev" has an invalid namespace',
    ],
    ['a cluster without server', { cluster: { server: undefined } }, 'has no server URL'],
    ['a server that is not a string', { cluster: { server: 6443 } }, 'has no server URL'],
  ] as const)('%s', (_name, parts, says) => {
    const error = errorOf(() => parseUntrustedKubeconfig(kubeconfig(parts), STRICT));
    expect([error.code, error.message]).toEqual([
      'KUBECONFIG_INVALID',
      expect.stringContaining(says),
    ]);
  });
});

describe('parseUntrustedKubeconfig refuses unreadable files as KUBECONFIG_INVALID', () => {
  const aliasBomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...'bcdefgh'
      .split('')
      .map(
        (n, i) =>
          `${n}: &${n} [*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]},*${'abcdefgh'[i]}]`,
      ),
  ].join('\n');

  it.each([
    ['empty text', '', 'must be a YAML mapping'],
    ['broken YAML', 'clusters: [\n', 'is not valid YAML'],
    ['a list', '- a\n- b\n', 'must be a YAML mapping'],
    ['a scalar', 'just a string\n', 'must be a YAML mapping'],
    ['another kind', kubeconfig({ root: { kind: 'Pod' } }), 'must be of kind Config, not "Pod"'],
    ['a duplicate key', `${kubeconfig()}current-context: other\n`, '(DUPLICATE_KEY)'],
    ['several documents', `${kubeconfig()}---\n${kubeconfig()}`, '(MULTIPLE_DOCS)'],
    ['an alias bomb', aliasBomb, 'too many YAML aliases'],
    [
      'an unknown tag',
      kubeconfig().replace('current-context: dev', 'current-context: !custom dev'),
      '(TAG_RESOLVE_FAILED)',
    ],
    [
      'a !!binary tag',
      kubeconfig().replace('current-context: dev', 'current-context: !!binary ZGV2'),
      '(TAG_RESOLVE_FAILED)',
    ],
    [
      'clusters that is not a list',
      kubeconfig({ root: { clusters: { 'dev-cluster': {} } } }),
      'clusters must be a list',
    ],
    [
      'an entry without a name',
      kubeconfig({ root: { users: [{ user: { token: TOKEN } }] } }),
      'users[0] has no name',
    ],
    [
      'two contexts with the same name',
      kubeconfig({
        root: {
          contexts: [
            { name: 'dev', context: { cluster: 'dev-cluster', user: 'alice' } },
            { name: 'dev', context: { cluster: 'x', user: 'y' } },
          ],
        },
      }),
      'contexts entry "dev" twice',
    ],
    [
      'a user body that is not a mapping',
      kubeconfig({ root: { users: [{ name: 'alice', user: 'token' }] } }),
      'field user must be a mapping',
    ],
  ])('%s', (_name, text, says) => {
    const error = errorOf(() => parseUntrustedKubeconfig(text, STRICT));
    expect([error.code, error.message]).toEqual([
      'KUBECONFIG_INVALID',
      expect.stringContaining(says),
    ]);
  });

  it(`refuses more than ${MAX_KUBECONFIG_BYTES} bytes and accepts a file padded to exactly the limit`, () => {
    const base = kubeconfig();
    const padded = (size: number) => `${base}#${'x'.repeat(size - Buffer.byteLength(base) - 2)}\n`;
    expect(Buffer.byteLength(padded(MAX_KUBECONFIG_BYTES))).toBe(MAX_KUBECONFIG_BYTES);
    expect(outcome(padded(MAX_KUBECONFIG_BYTES))).toBe('OK');
    expect(outcome(padded(MAX_KUBECONFIG_BYTES + 1))).toBe('KUBECONFIG_INVALID');
  });

  it('reports the YAML problem by code and offset only, not by quoting the text', () => {
    const error = errorOf(() =>
      parseUntrustedKubeconfig(
        `users:\n- name: alice\n  user:\n    token: ${TOKEN}\n   bad: [\n`,
        STRICT,
      ),
    );
    expect(error.code).toBe('KUBECONFIG_INVALID');
    expect(JSON.stringify([error.message, error.details])).not.toContain('TOPSECRET');
  });
});

describe('parseUntrustedKubeconfig chooses contexts', () => {
  const twoContexts = (second: Mapping = {}) =>
    kubeconfig({
      root: {
        users: [
          { name: 'alice', user: { token: TOKEN } },
          {
            name: 'bob',
            user: { 'client-certificate-data': CERT, 'client-key-data': KEY, ...second },
          },
        ],
        contexts: [
          { name: 'dev', context: { cluster: 'dev-cluster', user: 'alice' } },
          {
            name: 'ops',
            context: { cluster: 'dev-cluster', user: 'bob', namespace: 'kube-system' },
          },
        ],
      },
    });

  it('imports a named context instead of the current one', () => {
    const [parsed] = parseUntrustedKubeconfig(twoContexts(), STRICT, 'ops');
    expect(parsed).toMatchObject({
      context: 'ops',
      user: 'bob',
      namespace: 'kube-system',
      connection: { auth: { type: 'clientCertificate' } },
    });
  });

  it("imports every context in file order with '*'", () => {
    expect(
      parseUntrustedKubeconfig(twoContexts(), STRICT, ALL_CONTEXTS).map((p) => [p.context, p.user]),
    ).toEqual([
      ['dev', 'alice'],
      ['ops', 'bob'],
    ]);
  });

  it("refuses the whole '*' import when one context is hostile, naming it", () => {
    const error = errorOf(() =>
      parseUntrustedKubeconfig(twoContexts({ exec: { command: 'sh' } }), STRICT, ALL_CONTEXTS),
    );
    expect(error.code).toBe('KUBECONFIG_EXEC_FORBIDDEN');
    expect(error.details).toMatchObject({ context: 'ops', user: 'bob' });
  });

  it('ignores a hostile user that the imported context does not use', () => {
    expect(outcome(twoContexts({ exec: { command: 'sh' } }), STRICT, 'dev')).toBe('OK');
    expect(outcome(twoContexts({ exec: { command: 'sh' } }), STRICT)).toBe('OK');
  });

  it.each([
    ['an unknown context name', kubeconfig(), 'staging'],
    [
      'no current-context and no name',
      kubeconfig({ root: { 'current-context': undefined } }),
      undefined,
    ],
    [
      'a current-context that does not exist',
      kubeconfig({ root: { 'current-context': 'gone' } }),
      undefined,
    ],
    [
      'a context naming a missing cluster',
      kubeconfig({ context: { cluster: 'elsewhere' } }),
      undefined,
    ],
    ['a context naming a missing user', kubeconfig({ context: { user: 'mallory' } }), undefined],
    ['a context without a user', kubeconfig({ context: { user: undefined } }), undefined],
    ['a context without a cluster', kubeconfig({ context: { cluster: undefined } }), undefined],
    ["'*' on a file without contexts", kubeconfig({ root: { contexts: [] } }), ALL_CONTEXTS],
  ])('%s → KUBECONFIG_CONTEXT_NOT_FOUND', (_name, text, context) => {
    expect(outcome(text, STRICT, context)).toBe('KUBECONFIG_CONTEXT_NOT_FOUND');
  });

  it('treats an empty context name as "the current context"', () => {
    expect(parseUntrustedKubeconfig(kubeconfig(), STRICT, '')[0].context).toBe('dev');
  });
});

describe('parseUntrustedKubeconfig never reveals a credential', () => {
  it.each([
    ['basic auth', kubeconfig({ user: { username: 'admin', password: 's3cr3t-password' } })],
    ['token and certificate', kubeconfig({ user: { ...certUser, token: TOKEN } })],
    [
      'mismatched key',
      kubeconfig({ user: { ...certUser, 'client-certificate-data': pemData(CA_CERT_PEM) } }),
    ],
    ['malformed token', kubeconfig({ user: { token: `${TOKEN} with spaces` } })],
    [
      'exec user',
      kubeconfig({ user: { exec: { command: 'sh', env: [{ name: 'T', value: TOKEN }] } } }),
    ],
    [
      'server with password',
      kubeconfig({ cluster: { server: 'https://admin:s3cr3t-password@10.0.0.1' } }),
    ],
    ['unknown context', kubeconfig({ context: { user: 'mallory' } })],
  ])('%s: neither message nor details contain it', (_name, text) => {
    const error = errorOf(() => parseUntrustedKubeconfig(text, STRICT));
    const visible = JSON.stringify([error.message, error.details]);
    for (const secret of SECRETS) expect(visible).not.toContain(secret);
  });
});
