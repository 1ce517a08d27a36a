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
