import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'X-CloudPilot-Signature';

/** How old a signed request may be when it arrives; older is treated as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const mac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * Signs the timestamp and body together, so neither can be changed, and a captured request
 * replayed later fails the receiver's age check (the same scheme as Stripe's and Slack's).
 */
export function signBody(secret: string, body: string, nowMs: number): string {
  const timestamp = Math.floor(nowMs / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

export type SignatureVerdict = 'valid' | 'malformed' | 'mismatch' | 'expired';

/** What a receiver runs (docs/integrations.md shows it): the header checked against the raw body. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowMs: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureVerdict {
  const parts = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!parts) return 'malformed';
  const timestamp = Number(parts[1]);
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parts[2], 'hex'))) return 'mismatch';
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return 'expired';
  return 'valid';
}
