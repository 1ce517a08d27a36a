import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import type { Finding } from '../cluster-state/finding';
import { DiagnosticsService } from '../diagnostics/diagnostics.service';
import { AlertLink, linkAlert } from './alert-links';
import type { AlertReceiver } from './alert-receiver.entity';
import {
  AlertmanagerAlertDto,
  AlertmanagerWebhookDto,
  AlertPageResponseDto,
  AlertQueryDto,
  AlertResponseDto,
  ReceivedAlertsResponseDto,
} from './alerts.dto';
import { ReceivedAlert } from './received-alert.entity';

const ALL_FINDINGS = 1_000_000;
/** Alertmanager's "no end" for a firing alert. */
const NO_END = /^0001-01-01/;

interface ClusterFindings {
  id: string;
  name: string;
  findings: Finding[];
}

/**
 * Alerts taken in from Alertmanager: each stored once per (receiver, fingerprint, startsAt) and
 * updated by every re-send, linked to the current findings of the objects its labels name. The
 * `cluster` label picks the cluster (id or name); without it every cluster's findings are looked
 * at. Alertmanager re-sends firing alerts every group_interval, so the links follow the findings.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectRepository(ReceivedAlert) private readonly alerts: Repository<ReceivedAlert>,
    private readonly directory: ClusterDirectory,
    private readonly diagnostics: DiagnosticsService,
  ) {}

  async receive(
    receiver: AlertReceiver,
    payload: AlertmanagerWebhookDto,
  ): Promise<ReceivedAlertsResponseDto> {
    const clusters = await this.clusterFindings();
    let linked = 0;
    for (const alert of payload.alerts) {
      const labels = stringMap(alert.labels);
      const candidates = clustersNamed(clusters, labels.cluster);
      const links = candidates.flatMap((c) => linkAlert(labels, c.findings));
      if (links.length) linked++;
      await this.store(receiver.id, alert, labels, links, candidates);
    }
    return { stored: payload.alerts.length, linked };
  }

  async list(query: AlertQueryDto): Promise<AlertPageResponseDto> {
    const qb = this.alerts.createQueryBuilder('a');
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.alertname) qb.andWhere('a.alertname = :name', { name: query.alertname });
    if (query.clusterId) qb.andWhere('a.cluster_id = :cluster', { cluster: query.clusterId });
    if (query.linked !== undefined)
      qb.andWhere(query.linked ? "a.links <> '[]'" : "a.links = '[]'");
    const [rows, total] = await qb
      .orderBy('a.received_at', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    return { items: rows.map(toResponse), total, limit: query.limit, offset: query.offset };
  }

  private async store(
    receiverId: string,
    alert: AlertmanagerAlertDto,
    labels: Record<string, string>,
    links: AlertLink[],
    candidates: ClusterFindings[],
  ): Promise<void> {
    const key = { receiverId, fingerprint: alert.fingerprint, startsAt: alert.startsAt };
    const existing = await this.alerts.findOneBy(key);
    const clusterIds = [...new Set(links.map((l) => l.clusterId))];
    const row: ReceivedAlert = {
      ...key,
      id: existing?.id ?? randomUUID(),
      status: alert.status,
      alertname: (labels.alertname ?? '').slice(0, 256),
      clusterId: candidates.length === 1 ? candidates[0].id : (clusterIds[0] ?? null),
      labels: JSON.stringify(labels),
      annotations: JSON.stringify(stringMap(alert.annotations)),
      endsAt: alert.endsAt && !NO_END.test(alert.endsAt) ? alert.endsAt : null,
      generatorUrl: alert.generatorURL || null,
      links: JSON.stringify(links),
      receivedAt: new Date().toISOString(),
    };
    await this.alerts.save(row);
  }

  /** Every cluster's current findings; a cluster that cannot be read has none to link now. */
  private async clusterFindings(): Promise<ClusterFindings[]> {
    const clusters = await this.directory.list();
    return Promise.all(
      clusters.map(async (c) => ({
        id: c.id,
        name: c.name,
        findings: await this.diagnostics
          .findings(c.id, { limit: ALL_FINDINGS })
          .then((page) => page.items)
          .catch(() => []),
      })),
    );
  }
}

/** The clusters a `cluster` label names (by id or name); without the label, all of them. */
function clustersNamed(clusters: ClusterFindings[], label: string | undefined): ClusterFindings[] {
  if (!label) return clusters;
  return clusters.filter((c) => c.id === label || c.name === label);
}

/** Label and annotation values are strings in Alertmanager; anything else is dropped, not trusted. */
function stringMap(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([k, v]) => [k.slice(0, 256), v.slice(0, 4096)]),
  );
}

/** The stored alert as it is answered: every column, the JSON ones parsed. */
function toResponse(row: ReceivedAlert): AlertResponseDto {
  return {
    ...row,
    labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    links: JSON.parse(row.links) as AlertLink[],
  };
}
