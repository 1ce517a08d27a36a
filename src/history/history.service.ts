import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { HistorySample } from './history-sample.entity';
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
    if (scope === 'namespace' && !query.namespace)
      invalid('namespace', 'is required with scope=namespace');
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    if (from > to) invalid('from', 'must not be after to');
    const rows = await this.samples.find({
      where: {
        clusterId: cluster.id,
        scope,
        name: scope === 'namespace' ? query.namespace : '',
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
      namespace: scope === 'namespace' ? query.namespace! : null,
      from: from.toISOString(),
      to: to.toISOString(),
      truncated: rows.length > MAX_POINTS,
      points,
    };
  }
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
