import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import type { HistoryScope } from './history-row';
import { HistorySample } from './history-sample.entity';
import { workloadKey } from './workload-restarts';
import { HistoryPointDto, HistoryQueryDto, HistoryResponseDto } from './history.dto';

const DEFAULT_RANGE_MS = 86_400_000;
/** A day of 30 s ticks is 2,880 points: one answer holds a day at the default tick. */
const MAX_POINTS = 5000;

/** Reads the stored history of one scope of one cluster. */
@Injectable()
export class HistoryService {
  constructor(
    @InjectRepository(HistorySample) private readonly samples: Repository<HistorySample>,
    private readonly directory: ClusterDirectory,
  ) {}

  async get(clusterIdOrName: string, query: HistoryQueryDto): Promise<HistoryResponseDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    const scope = query.scope ?? 'cluster';
    checkScope(scope, query);
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    if (from > to) invalid('from', 'must not be after to');
    const rows = await this.samples.find({
      where: {
        clusterId: cluster.id,
        scope,
        name: rowName(scope, query),
        at: Between(from.toISOString(), to.toISOString()),
      },
      order: { slot: 'DESC' },
      take: MAX_POINTS + 1,
    });
    const points = rows
      .slice(0, MAX_POINTS)
      .reverse()
      .map((row) => point(row, query.metric));
    return {
      cluster: { id: cluster.id, name: cluster.name },
      scope,
      namespace: usesNamespace(scope) ? query.namespace! : null,
      name: scope === 'cluster' || scope === 'namespace' ? null : query.name!,
      from: from.toISOString(),
      to: to.toISOString(),
      truncated: rows.length > MAX_POINTS,
      points,
    };
  }

  /** Every series of one scope in a time range, by row name, oldest first (what forecasts fit). */
  async series(
    clusterId: string,
    scope: HistoryScope,
    from: Date,
    to: Date,
  ): Promise<Map<string, HistoryPointDto[]>> {
    const rows = await this.samples.find({
      where: { clusterId, scope, at: Between(from.toISOString(), to.toISOString()) },
      order: { slot: 'ASC' },
    });
    const byName = new Map<string, HistoryPointDto[]>();
    for (const row of rows) {
      const list = byName.get(row.name) ?? [];
      list.push(point(row, undefined));
      byName.set(row.name, list);
    }
    return byName;
  }
}

const usesNamespace = (scope: HistoryScope): boolean =>
  scope === 'namespace' || scope === 'workload' || scope === 'hpa';

/** Each scope's required parameters: a clear 400, never an empty answer for a half query. */
function checkScope(scope: HistoryScope, query: HistoryQueryDto): void {
  if (usesNamespace(scope) && !query.namespace)
    invalid('namespace', `is required with scope=${scope}`);
  if (scope !== 'cluster' && scope !== 'namespace' && !query.name)
    invalid('name', `is required with scope=${scope}`);
  if (scope === 'workload' && !query.name!.includes('/'))
    invalid('name', 'must be <Kind>/<name> with scope=workload');
}

/** The stored row name: '' (cluster), the namespace, `<ns>/<Kind>/<name>`, `<ns>/<hpa>`, the node or pool. */
function rowName(scope: HistoryScope, query: HistoryQueryDto): string {
  if (scope === 'cluster') return '';
  if (scope === 'namespace') return query.namespace!;
  if (scope === 'workload') {
    const [kind, ...name] = query.name!.split('/');
    return workloadKey({ namespace: query.namespace!, kind, name: name.join('/') });
  }
  if (scope === 'hpa') return `${query.namespace}/${query.name}`;
  return query.name!;
}

function point(row: HistorySample, metric: string | undefined): HistoryPointDto {
  const values = JSON.parse(row.data) as Record<string, number | null>;
  return { at: row.at, values: metric ? { [metric]: values[metric] ?? null } : values };
}

function invalid(field: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field, errors: [`${field} ${message}`] },
  ]);
}
