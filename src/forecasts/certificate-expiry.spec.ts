import type { CertificateRecord } from '../cluster-state/records/certificate';
import { certificateExpiryForecasts } from './certificate-expiry';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const HORIZON = 30 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

const secret = (name: string, notAfter: number | null, extra: Partial<CertificateRecord> = {}) =>
  ({
    name,
    namespace: 'shop',
    source: 'secret',
    secretName: name,
    notBefore: iso(NOW - 60 * DAY),
    notAfter: notAfter === null ? null : iso(notAfter),
    renewalTime: null,
    dnsNames: ['shop.example'],
    issuer: 'CN=ca',
    ready: null,
    ...extra,
  }) satisfies CertificateRecord;

const managed = (name: string, notAfter: number, renewal: number, ready = true) =>
  ({
    ...secret(name, notAfter),
    source: 'cert-manager',
    secretName: `${name}-tls`,
    renewalTime: iso(renewal),
    ready,
  }) satisfies CertificateRecord;

describe('certificateExpiryForecasts', () => {
  it('forecasts a Secret certificate expiring within the horizon from its dates, sure of it', () => {
    const [f] = certificateExpiryForecasts([], [secret('soon', NOW + 10 * DAY)], NOW, HORIZON);
    expect(f).toMatchObject({
      code: 'FORECAST_CERTIFICATE_EXPIRY',
      scope: 'certificate',
      namespace: 'shop',
      name: 'Secret/soon',
      threshold: 0,
      current: 10,
      crossesAt: NOW + 10 * DAY,
      withinHorizon: true,
      confidence: 1,
    });
    expect(f.reason).toBeUndefined();
    expect(f.basis).toEqual([
      { t: NOW - 60 * DAY, v: 70 },
      { t: NOW, v: 10 },
    ]);
  });

  it('leaves out certificates beyond the horizon and those without dates', () => {
    const forecasts = certificateExpiryForecasts(
      [],
      [secret('far', NOW + 90 * DAY), secret('broken', null, { problem: 'no tls.crt' })],
      NOW,
      HORIZON,
    );
    expect(forecasts).toEqual([]);
  });

  it('reports an expired certificate as expired, soonest first', () => {
    const forecasts = certificateExpiryForecasts(
      [],
      [secret('later', NOW + 20 * DAY), secret('gone', NOW - 2 * DAY)],
      NOW,
      HORIZON,
    );
    expect(forecasts.map((f) => [f.name, f.reason, f.current])).toEqual([
      ['Secret/gone', 'expired', -2],
      ['Secret/later', undefined, 20],
    ]);
  });

  it('trusts a planned cert-manager renewal, but not an overdue or failing one', () => {
    const forecasts = certificateExpiryForecasts(
      [
        managed('planned', NOW + 20 * DAY, NOW + 5 * DAY),
        managed('overdue', NOW + 21 * DAY, NOW - 1 * DAY),
        managed('failing', NOW + 22 * DAY, NOW + 5 * DAY, false),
      ],
      [],
      NOW,
      HORIZON,
    );
    expect(forecasts.map((f) => [f.name, f.confidence])).toEqual([
      ['Certificate/planned', 0.2],
      ['Certificate/overdue', 1],
      ['Certificate/failing', 1],
    ]);
  });

  it("prefers cert-manager's view of a certificate over its Secret", () => {
    const forecasts = certificateExpiryForecasts(
      [managed('shop', NOW + 20 * DAY, NOW + 5 * DAY)],
      [secret('shop-tls', NOW + 20 * DAY), secret('other-tls', NOW + 25 * DAY)],
      NOW,
      HORIZON,
    );
    expect(forecasts.map((f) => f.name)).toEqual(['Certificate/shop', 'Secret/other-tls']);
  });
});
