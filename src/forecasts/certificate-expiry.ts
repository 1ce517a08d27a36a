import type { CertificateRecord } from '../cluster-state/records/certificate';
import type { CertificateBasis, Forecast } from './forecast';
import type { Point } from './methods/series';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Confidence that a cert-manager certificate really expires: it is due to be renewed first. */
const RENEWAL_PLANNED_CONFIDENCE = 0.2;

/** When one TLS certificate stops being valid: a known date, not a fitted trend. */
export interface CertificateForecast extends Forecast {
  code: 'FORECAST_CERTIFICATE_EXPIRY';
  scope: 'certificate';
  crossesAt: number;
  certificate: CertificateBasis;
}

/**
 * The certificates that expire within the horizon or already have, soonest first. cert-manager's
 * view of a certificate wins over its Secret's (it knows about renewal); far-off expiries are left
 * out, since a forecast nobody needs to act on is noise. Pure.
 */
export function certificateExpiryForecasts(
  certManager: readonly CertificateRecord[],
  secrets: readonly CertificateRecord[],
  now: number,
  horizonMs: number,
): CertificateForecast[] {
  const managedSecrets = new Set(certManager.map((c) => `${c.namespace}/${c.secretName}`));
  const unmanaged = secrets.filter((s) => !managedSecrets.has(`${s.namespace}/${s.name}`));
  return [...certManager, ...unmanaged]
    .flatMap((record) => {
      const forecast = forecastOf(record, now, horizonMs);
      return forecast && forecast.withinHorizon ? [forecast] : [];
    })
    .sort((a, b) => a.crossesAt - b.crossesAt);
}

function forecastOf(
  record: CertificateRecord,
  now: number,
  horizonMs: number,
): CertificateForecast | null {
  if (record.notAfter === null) return null;
  const notAfter = Date.parse(record.notAfter);
  const expired = notAfter <= now;
  const renewalPlanned =
    record.source === 'cert-manager' &&
    record.ready === true &&
    record.renewalTime !== null &&
    Date.parse(record.renewalTime) > now;
  const basis: Point[] = [];
  if (record.notBefore !== null) {
    const notBefore = Date.parse(record.notBefore);
    basis.push({ t: notBefore, v: (notAfter - notBefore) / DAY });
  }
  basis.push({ t: Math.min(now, notAfter), v: Math.max(0, (notAfter - now) / DAY) });
  return {
    code: 'FORECAST_CERTIFICATE_EXPIRY',
    meaning: renewalPlanned
      ? 'The TLS certificate expires unless cert-manager renews it as planned'
      : 'The TLS certificate expires: clients stop trusting the endpoints that serve it',
    metric: 'certificateDaysLeft',
    scope: 'certificate',
    namespace: record.namespace,
    name: `${record.source === 'cert-manager' ? 'Certificate' : 'Secret'}/${record.name}`,
    threshold: 0,
    current: (notAfter - now) / DAY,
    crossesAt: notAfter,
    withinHorizon: notAfter - now <= horizonMs,
    confidence: renewalPlanned ? RENEWAL_PLANNED_CONFIDENCE : 1,
    method: 'certificate-dates',
    slopePerHour: -1 / 24,
    points: basis.length,
    ...(expired ? { reason: 'expired' } : {}),
    basis,
    certificate: {
      source: record.source,
      secretName: record.secretName,
      notBefore: record.notBefore,
      notAfter: record.notAfter,
      renewalTime: record.renewalTime,
      ready: record.ready,
      dnsNames: record.dnsNames,
      issuer: record.issuer,
    },
  };
}
