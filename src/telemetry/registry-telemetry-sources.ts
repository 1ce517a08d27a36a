import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClusterEvents } from '../cluster-registry/cluster-events';
import { CredentialKeyring } from '../cluster-registry/credential-keyring';
import type { Resealer } from '../cluster-registry/key-rotation';
import {
  ResealSpec,
  resealRows,
  sealedColumns,
  sealedOf,
} from '../cluster-registry/sealed-credential-row';
import { describeSource, TelemetrySource } from './telemetry-source';
import { TelemetrySourceEntity } from './telemetry-source.entity';
import { StoredSource, TelemetrySources } from './telemetry-sources';

/** Bound into the seal with the cluster id, so a sealed source never opens as a cluster credential. */
const AAD_PREFIX = 'telemetry-source:';

const SOURCE_SEALS: ResealSpec<TelemetrySourceEntity> = {
  entity: TelemetrySourceEntity,
  key: 'clusterId',
  aadPrefix: AAD_PREFIX,
  sealedOf,
  columns: sealedColumns,
};

/** Server mode: one sealed source per cluster, removed with its cluster. */
@Injectable()
export class RegistryTelemetrySources
  extends TelemetrySources
  implements OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger(RegistryTelemetrySources.name);
  private unsubscribe: (() => void) | undefined;

  constructor(
    @InjectRepository(TelemetrySourceEntity)
    private readonly rows: Repository<TelemetrySourceEntity>,
    private readonly keyring: CredentialKeyring,
    private readonly events: ClusterEvents,
  ) {
    super();
  }

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type !== 'removed') return;
      this.remove(event.clusterId).catch((error: unknown) =>
        this.logger.warn({ cluster: event.clusterId, error: String(error) }, 'source not removed'),
      );
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async get(clusterId: string): Promise<StoredSource | undefined> {
    const row = await this.rows.findOneBy({ clusterId });
    if (!row) return undefined;
    const source = this.keyring.cipher.open(
      sealedOf(row),
      AAD_PREFIX + clusterId,
    ) as TelemetrySource;
    return { source, fingerprint: `${row.updatedAt}/${row.credentialKeyId}` };
  }

  async set(clusterId: string, source: TelemetrySource): Promise<void> {
    const sealed = this.keyring.cipher.seal(source, AAD_PREFIX + clusterId);
    const view = describeSource(source);
    await this.rows.save(
      this.rows.create({
        clusterId,
        type: source.type,
        target: view.target,
        authType: view.authType,
        ...sealedColumns(sealed),
        updatedAt: new Date().toISOString(),
      }),
    );
  }

  async remove(clusterId: string): Promise<void> {
    await this.rows.delete({ clusterId });
  }
}

/**
 * Re-seals every stored source from one key to another inside the caller's transaction (the
 * key rotation command runs it with the cluster credentials', so all move or none).
 */
export const resealTelemetrySources: Resealer = (tx, from, to) =>
  resealRows(tx, SOURCE_SEALS, from, to);
