import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import type { ChangeCategory, FieldChange } from './change-diff';
import { ChangeRecord } from './change-record.entity';
import type { ChangeDto, ChangePageDto, ChangeQueryDto } from './changes.dto';

/** The most changes one suspects search reads: far more than a window holds around one object. */
const MAX_WINDOW_ROWS = 20_000;

export function changeDto(row: ChangeRecord): ChangeDto {
  return {
    id: row.id,
    at: row.at,
    group: row.group,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    category: row.category as ChangeCategory,
    manager: row.manager,
    summary: row.summary,
    diff: JSON.parse(row.diff) as FieldChange[],
  };
}

/** Reads the stored change timeline of a cluster. */
@Injectable()
export class ChangesService {
  constructor(
    @InjectRepository(ChangeRecord) private readonly records: Repository<ChangeRecord>,
    private readonly directory: ClusterDirectory,
  ) {}

  async list(clusterIdOrName: string, query: ChangeQueryDto): Promise<ChangePageDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    if (query.since && query.until && query.since > query.until)
      throw new AppError('VALIDATION_FAILED', 'since must not be after until', {
        field: 'since',
      });
    const q = this.filtered(cluster.id, query);
    const [rows, total] = await q
      .orderBy('c.at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    return { items: rows.map(changeDto), total, limit: query.limit, offset: query.offset };
  }

  async get(clusterIdOrName: string, changeId: string): Promise<ChangeDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    const row = await this.records.findOneBy({ clusterId: cluster.id, id: changeId });
    if (!row)
      throw new AppError('CHANGE_NOT_FOUND', `No change ${changeId} in cluster ${cluster.name}`, {
        cluster: cluster.id,
        changeId,
      });
    return changeDto(row);
  }

  /** Every change of a cluster between two times, newest first (bounded). */
  async between(clusterId: string, since: Date, until: Date): Promise<ChangeDto[]> {
    const rows = await this.filtered(clusterId, {
      since: since.toISOString(),
      until: until.toISOString(),
    })
      .orderBy('c.at', 'DESC')
      .take(MAX_WINDOW_ROWS)
      .getMany();
    return rows.map(changeDto);
  }

  private filtered(
    clusterId: string,
    query: Partial<ChangeQueryDto>,
  ): SelectQueryBuilder<ChangeRecord> {
    const q = this.records
      .createQueryBuilder('c')
      .where('c.cluster_id = :clusterId', { clusterId });
    if (query.namespace !== undefined) q.andWhere('c.namespace = :namespace', query);
    if (query.kind) q.andWhere('c.kind = :kind', query);
    if (query.name) q.andWhere('c.name = :name', query);
    if (query.category) q.andWhere('c.category = :category', query);
    if (query.since) q.andWhere('c.at >= :since', { since: new Date(query.since).toISOString() });
    if (query.until) q.andWhere('c.at <= :until', { until: new Date(query.until).toISOString() });
    return q;
  }
}
