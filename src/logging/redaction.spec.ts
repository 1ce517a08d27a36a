import { createRedactor } from './redaction';

describe('createRedactor', () => {
  const redact = createRedactor(['super-secret-value', 'short']);

  it('removes known secret values wherever they appear', () => {
    expect(redact('{"msg":"x super-secret-value y"}')).toBe('{"msg":"x [REDACTED] y"}');
  });

  it('ignores secrets too short to be safely matched', () => {
    expect(redact('short')).toBe('short');
  });

  it('removes bearer credentials embedded in error messages', () => {
    expect(redact('headers: {"authorization":"Bearer eyJhbGciOi.abc.def"}')).toBe(
      'headers: {"authorization":"Bearer [REDACTED]"}',
    );
    expect(redact('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe(
      'Authorization: Basic [REDACTED]',
    );
  });

  it('removes CloudPilot tokens', () => {
    const token = `cpt_ABCDEFGHIJKLMNOP_${'a'.repeat(43)}`;
    expect(redact(`token=${token}!`)).toBe('token=[REDACTED]!');
  });
});

describe('createRedactor on lines without credentials', () => {
  const redact = createRedactor(['super-secret-value']);

  it('returns such a line unchanged, and still redacts credentials in any letter case', () => {
    const line =
      '{"route":"/api/v1/clusters/:clusterId/overview","status":200,"actor":"env-admin"}';
    expect(redact(line)).toBe(line);
    expect(redact('BEARER abcdefgh12345 and bAsIc dXNlcjpwYXNz')).toBe(
      'BEARER [REDACTED] and bAsIc [REDACTED]',
    );
  });
});
