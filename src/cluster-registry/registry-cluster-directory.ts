import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { ClusterConnection } from '../kubernetes/cluster-connection';
import { probeCluster } from '../kubernetes/cluster-probe';
import { parseUntrustedKubeconfig } from '../kubernetes/kubeconfig-guard';
import { KubeClient } from '../kubernetes/kube-client';
import { KubeClientPool } from '../kubernetes/kube-client.pool';
import { ClusterDirectory } from './cluster-directory';
import { ClusterEvents } from './cluster-events';
import { connectionPolicy, isUuid, nameFromContext, toClusterResponse } from './cluster-mapping';
import { ClusterEntity } from './cluster.entity';
import {
  ClusterResponseDto,
  ClusterTestResponseDto,
  CreateClusterDto,
  ImportKubeconfigDto,
  UpdateClusterDto,
} from './cluster.dto';
import { connectionFromInput } from './connection-input';
import { CredentialKeyring } from './credential-keyring';
import { sealedColumns, sealedOf } from './sealed-credential-row';

type NewCluster = Pick<
  CreateClusterDto,
  'name' | 'displayName' | 'description' | 'labels' | 'isDefault'
> & { connection: ClusterConnection };

/** Server mode: clusters in the database, connections sealed with AES-256-GCM bound to the cluster id. */
@Injectable()
export class RegistryClusterDirectory extends ClusterDirectory implements OnModuleInit {
  constructor(
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    private readonly keyring: CredentialKeyring,
    private readonly pool: KubeClientPool,
    private readonly configProvider: ConfigProvider,
    private readonly events: ClusterEvents,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const rows = await this.clusters.find({ select: { credentialKeyId: true } });
    this.keyring.load(rows.map((r) => r.credentialKeyId));
  }

  async list(): Promise<ClusterResponseDto[]> {
    return (await this.clusters.find({ order: { name: 'ASC' } })).map(toClusterResponse);
  }

  async get(idOrName: string): Promise<ClusterResponseDto> {
    return toClusterResponse(await this.find(idOrName));
  }

  async client(idOrName: string): Promise<KubeClient> {
    const entity = await this.find(idOrName);
    // The credential is decrypted only when the pool builds a client for this version of the row.
    return this.pool.get(
      entity.id,
      () => this.open(entity),
      `${entity.updatedAt}/${entity.credentialKeyId}`,
      connectionPolicy(this.configProvider),
    );
  }

  async test(idOrName: string): Promise<ClusterTestResponseDto> {
    const entity = await this.find(idOrName);
    const checkedAt = new Date().toISOString();
    try {
      const probe = await probeCluster(await this.client(entity.id));
      await this.clusters.update(
        { id: entity.id },
        {
          lastStatus: 'connected',
          lastErrorCode: null,
          kubernetesVersion: probe.kubernetesVersion,
          checkedAt,
        },
      );
      return { reachable: true, ...probe, checkedAt };
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      await this.clusters.update(
        { id: entity.id },
        { lastStatus: 'error', lastErrorCode: code, checkedAt },
      );
      throw error;
    }
  }

  async create(dto: CreateClusterDto, skipTest: boolean): Promise<ClusterResponseDto> {
    const connection = connectionFromInput(dto, connectionPolicy(this.configProvider));
    const [created] = await this.insert([{ ...dto, connection }], skipTest);
    return created;
  }

  async importKubeconfig(
    dto: ImportKubeconfigDto,
    skipTest: boolean,
  ): Promise<ClusterResponseDto[]> {
    const parsed = parseUntrustedKubeconfig(
      dto.kubeconfig,
      connectionPolicy(this.configProvider),
      '*',
    );
    const wanted = dto.contexts ? parsed.filter((p) => dto.contexts!.includes(p.context)) : parsed;
    const missing = (dto.contexts ?? []).filter((c) => !parsed.some((p) => p.context === c));
    if (missing.length)
      throw new AppError(
        'KUBECONFIG_CONTEXT_NOT_FOUND',
        `Unknown context(s): ${missing.join(', ')}`,
      );
    return this.insert(
      wanted.map((p) => ({
        name: nameFromContext(p.context),
        displayName: p.context,
        connection: p.connection,
      })),
      skipTest,
    );
  }

  async update(idOrName: string, dto: UpdateClusterDto): Promise<ClusterResponseDto> {
    const entity = await this.find(idOrName);
    const patch: Partial<ClusterEntity> = { updatedAt: new Date().toISOString() };
    if (dto.displayName !== undefined) patch.displayName = dto.displayName;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.labels !== undefined) patch.labels = JSON.stringify(validLabels(dto.labels));
    if (dto.kubeconfig !== undefined || dto.credentials !== undefined) {
      Object.assign(
        patch,
        this.seal(entity.id, connectionFromInput(dto, connectionPolicy(this.configProvider))),
        { lastStatus: 'unknown', lastErrorCode: null },
      );
    }
    await this.clusters.update({ id: entity.id }, patch);
    this.pool.drop(entity.id);
    if (patch.credentialCiphertext !== undefined)
      this.events.emit({ type: 'changed', clusterId: entity.id });
    return this.get(entity.id);
  }

  async remove(idOrName: string): Promise<void> {
    const entity = await this.find(idOrName);
    await this.clusters.delete({ id: entity.id });
    // Not awaited: closing waits for open watches, which stop on the event below.
    void this.pool.close(entity.id);
    this.events.emit({ type: 'removed', clusterId: entity.id });
  }

  async setDefault(idOrName: string): Promise<ClusterResponseDto> {
    const entity = await this.find(idOrName);
    await this.clusters.manager.transaction(async (tx) => {
      await tx.update(ClusterEntity, { isDefault: true }, { isDefault: false });
      await tx.update(ClusterEntity, { id: entity.id }, { isDefault: true });
    });
    return this.get(entity.id);
  }

  private async find(idOrName: string): Promise<ClusterEntity> {
    const entity = await this.clusters.findOneBy(
      isUuid(idOrName) ? { id: idOrName.toLowerCase() } : { name: idOrName },
    );
    if (!entity)
      throw new AppError('CLUSTER_NOT_FOUND', `No cluster with id or name "${idOrName}"`);
    return entity;
  }

  /** Tests each connection (unless skipped), then stores all of them in one transaction, or none. */
  private async insert(items: NewCluster[], skipTest: boolean): Promise<ClusterResponseDto[]> {
    await this.assertNamesFree(items.map((i) => i.name));
    const now = new Date().toISOString();
    const rows: ClusterEntity[] = [];
    for (const item of items) {
      const id = randomUUID();
      const status = skipTest
        ? { lastStatus: 'unknown', kubernetesVersion: null, checkedAt: null }
        : await this.probeNew(id, item.connection);
      rows.push(
        this.clusters.create({
          id,
          name: item.name,
          displayName: item.displayName ?? item.name,
          description: item.description ?? '',
          labels: JSON.stringify(validLabels(item.labels ?? {})),
          isDefault: false,
          createdAt: now,
          updatedAt: now,
          lastErrorCode: null,
          ...status,
          ...this.seal(id, item.connection),
        }),
      );
    }
    await this.clusters.manager.transaction(async (tx) => {
      const first = (await tx.count(ClusterEntity)) === 0;
      const makeDefault = items.findIndex((i) => i.isDefault);
      if (makeDefault >= 0)
        await tx.update(ClusterEntity, { isDefault: true }, { isDefault: false });
      rows.forEach(
        (row, i) => (row.isDefault = i === makeDefault || (first && makeDefault < 0 && i === 0)),
      );
      await tx.insert(ClusterEntity, rows);
    });
    for (const row of rows) this.events.emit({ type: 'changed', clusterId: row.id });
    return rows.map(toClusterResponse);
  }

  private async probeNew(id: string, connection: ClusterConnection) {
    try {
      const probe = await probeCluster(
        this.pool.get(id, connection, 'registration', connectionPolicy(this.configProvider)),
      );
      return {
        lastStatus: 'connected',
        kubernetesVersion: probe.kubernetesVersion,
        checkedAt: new Date().toISOString(),
      };
    } finally {
      await this.pool.close(id);
    }
  }

  private async assertNamesFree(names: string[]): Promise<void> {
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate)
      throw new AppError(
        'CLUSTER_NAME_TAKEN',
        `Two clusters in this request would be named "${duplicate}"`,
      );
    for (const name of names) {
      if (await this.clusters.existsBy({ name }))
        throw new AppError('CLUSTER_NAME_TAKEN', `A cluster named "${name}" already exists`);
    }
  }

  private seal(id: string, connection: ClusterConnection) {
    const sealed = this.keyring.cipher.seal(connection, id);
    return {
      server: connection.server,
      authType: connection.auth.type,
      ...sealedColumns(sealed),
    };
  }

  private open(entity: ClusterEntity): ClusterConnection {
    return this.keyring.cipher.open(sealedOf(entity), entity.id) as ClusterConnection;
  }
}

function validLabels(labels: Record<string, string>): Record<string, string> {
  const bad = Object.entries(labels).find(
    ([k, v]) => !/^[A-Za-z0-9._/-]{1,63}$/.test(k) || typeof v !== 'string' || v.length > 63,
  );
  if (bad)
    throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
      {
        field: `labels.${bad[0]}`,
        errors: ['labels are string keys and values of at most 63 characters'],
      },
    ]);
  return labels;
}
