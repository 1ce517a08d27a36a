import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { MoreThan, LessThanOrEqual, Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { requestContext } from '../common/request-context';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJobs } from '../coordination/periodic-jobs';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import { DiagnosticsSilence } from './silence.entity';
import { ActiveSilence, compileNamePattern, SilenceMatchers } from './silence-matching';
import {
  CreateSilenceDto,
  expiryOf,
  MATCHER_KEYS,
  SilenceDto,
  SilencePageDto,
  SilenceQueryDto,
} from './silences.dto';

/** PostgreSQL channel name: an identifier, so lower case and no dots. */
const CHANNEL = 'cloudpilot_silence_events';
/** setTimeout's limit: a later expiry is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type SilencesListener = (clusterId: string) => void;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Silences of diagnostics findings: stored rows, so they survive a restart and every replica
 * applies the same ones. Each replica holds the silences in force in memory (findings are marked
 * on every read and evaluation, not with a query each time) and reloads them when any replica
 * changes one (NOTIFY, as cluster events), on a periodic job as the safety net for a missed
 * notification, and at the next expiry, so an expired silence ends on time everywhere.
 */
@Injectable()
export class SilencesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Silences');
  private active = new Map<string, ActiveSilence[]>();
  private readonly listeners = new Set<SilencesListener>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    @InjectRepository(DiagnosticsSilence) private readonly rows: Repository<DiagnosticsSilence>,
    private readonly directory: ClusterDirectory,
    private readonly coordination: ReplicaCoordination,
    configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    jobs.register({
      name: 'silences',
      everyMs: configProvider.config.monitor.refreshIntervalSeconds * 1000,
      runsOn: 'every-replica',
      tick: () => this.reload(),
    });
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.coordination.subscribe(CHANNEL, () => void this.reload());
    await this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    clearTimeout(this.timer);
  }

  /** The silences in force for a cluster (by id), as this replica last loaded them. */
  of(clusterId: string): readonly ActiveSilence[] {
    return this.active.get(clusterId) ?? [];
  }

  /** Called with a cluster's id whenever its silences in force change (created, ended, deleted). */
  onChanged(listener: SilencesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(clusterRef: string, dto: CreateSilenceDto): Promise<SilenceDto> {
    const cluster = await this.directory.get(clusterRef);
    const principal = requestContext.current()?.principal;
    const row = this.rows.create({
      id: randomUUID(),
      clusterId: cluster.id,
      matchers: JSON.stringify(matchersOf(dto.matchers)),
      comment: dto.comment,
      author: principal?.name ?? 'anonymous',
      createdAt: iso(Date.now()),
      expiresAt: iso(expiryOf(dto, Date.now())),
    });
    await this.rows.insert(row);
    this.note(row.id);
    await this.changed();
    return toDto(row, Date.now());
  }

  async list(clusterRef: string, query: SilenceQueryDto): Promise<SilencePageDto> {
    const cluster = await this.directory.get(clusterRef);
    const now = iso(Date.now());
    const state = query.state ?? 'active';
    const expires =
      state === 'active' ? MoreThan(now) : state === 'expired' ? LessThanOrEqual(now) : undefined;
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const [rows, total] = await this.rows.findAndCount({
      where: { clusterId: cluster.id, ...(expires ? { expiresAt: expires } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: rows.map((r) => toDto(r, Date.now())), total, limit, offset };
  }

  /** Ends a silence now; it stays listed (as expired) for the record. */
  async expire(clusterRef: string, id: string): Promise<SilenceDto> {
    const row = await this.row(clusterRef, id);
    const now = Date.now();
    if (Date.parse(row.expiresAt) > now) {
      row.expiresAt = iso(now);
      await this.rows.update({ id: row.id }, { expiresAt: row.expiresAt });
      await this.changed();
    }
    this.note(row.id);
    return toDto(row, now);
  }

  async remove(clusterRef: string, id: string): Promise<void> {
    const row = await this.row(clusterRef, id);
    await this.rows.delete({ id: row.id });
    this.note(row.id);
    await this.changed();
  }

  /** Reads the silences in force again and tells listeners of each cluster whose set changed. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const now = Date.now();
    const rows = await this.rows.find({ where: { expiresAt: MoreThan(iso(now)) } });
    const next = new Map<string, ActiveSilence[]>();
    for (const row of rows) {
      const list = next.get(row.clusterId) ?? [];
      list.push(compiled(row));
      next.set(row.clusterId, list);
    }
    const before = this.active;
    this.active = next;
    this.arm(rows.map((r) => Date.parse(r.expiresAt)));
    for (const clusterId of new Set([...before.keys(), ...next.keys()]))
      if (signature(before.get(clusterId)) !== signature(next.get(clusterId)))
        for (const listener of this.listeners) listener(clusterId);
  }

  /** A timer at the next expiry: the silence ends on time without any cluster change. */
  private arm(expiries: number[]): void {
    clearTimeout(this.timer);
    if (!expiries.length) return;
    const delay = Math.min(Math.max(0, Math.min(...expiries) - Date.now()) + 5, MAX_TIMER_MS);
    this.timer = setTimeout(() => void this.reload().catch((e) => this.failed(e)), delay);
    this.timer.unref();
  }

  private async changed(): Promise<void> {
    await this.reload();
    this.coordination
      .publish(CHANNEL, 'changed')
      .catch((error) =>
        this.logger.warn(`Other replicas will reload at their next tick: ${error}`),
      );
  }

  private failed(error: unknown): void {
    this.logger.warn(`Silences could not be reloaded; the next tick retries: ${String(error)}`);
  }

  private async row(clusterRef: string, id: string): Promise<DiagnosticsSilence> {
    const cluster = await this.directory.get(clusterRef);
    const row = await this.rows.findOneBy({ id, clusterId: cluster.id });
    if (!row)
      throw new AppError('SILENCE_NOT_FOUND', `No silence ${id} in cluster ${cluster.name}`, {
        cluster: cluster.id,
        silenceId: id,
      });
    return row;
  }

  private note(id: string): void {
    const ctx = requestContext.current();
    if (ctx) ctx.auditNote = `silence=${id}`;
  }
}

const signature = (list: readonly ActiveSilence[] | undefined): string =>
  (list ?? [])
    .map((s) => `${s.id}@${s.expiresAt}`)
    .sort()
    .join(',');

/** Only the matchers given (null is absent, as the validators take it), so the stored JSON says what was asked. */
function matchersOf(m: SilenceMatchers): SilenceMatchers {
  return Object.fromEntries(MATCHER_KEYS.filter((k) => m[k] != null).map((k) => [k, m[k]]));
}

function compiled(row: DiagnosticsSilence): ActiveSilence {
  const matchers = JSON.parse(row.matchers) as SilenceMatchers;
  return {
    id: row.id,
    matchers,
    ...(matchers.name !== undefined ? { namePattern: compileNamePattern(matchers.name) } : {}),
    comment: row.comment,
    author: row.author,
    expiresAt: row.expiresAt,
    expiresAtMs: Date.parse(row.expiresAt),
  };
}

function toDto(row: DiagnosticsSilence, now: number): SilenceDto {
  return {
    id: row.id,
    clusterId: row.clusterId,
    matchers: JSON.parse(row.matchers) as SilenceMatchers,
    comment: row.comment,
    author: row.author,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    active: Date.parse(row.expiresAt) > now,
  };
}
