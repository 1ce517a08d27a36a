import { Injectable } from '@nestjs/common';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import { certificateExpiryForecasts } from './certificate-expiry';
import type { Forecast, ForecastRequest, ForecastSource } from './forecast';

/**
 * TLS certificates expiring, from the live snapshot: cert-manager Certificates' status, and the
 * tls.crt of kubernetes.io/tls Secrets when monitor.tlsSecretCertificates turned that on.
 */
@Injectable()
export class CertificateForecastSource implements ForecastSource {
  constructor(private readonly snapshots: ClusterSnapshots) {}

  async forecasts(r: ForecastRequest): Promise<Forecast[]> {
    const snapshot = await this.snapshots.forCluster(r.clusterId);
    return certificateExpiryForecasts(
      snapshot.list('certificates'),
      snapshot.list('tlsSecretCertificates'),
      r.now,
      r.horizonMs,
    );
  }
}
