import { Injectable, Optional } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { ObjectApi } from '../kubernetes/object-api';
import { aggregateEvents, K8sEvent, parseSince } from './event-aggregation';
import { EventListDto, EventQueryDto, TimelineEntryDto } from './events.dto';
import { ObjectChanges } from './object-changes';
import { K8sObject } from './object-views';
import { ResourcesService } from './resources.service';

const MAX_EVENTS = 5000;
const PAGE = 500;

type ObjectRef = { kind: string; name: string };

/** Events of a cluster or of one object (a workload's events include its ReplicaSets' and Pods'). */
@Injectable()
export class EventsService {
  constructor(
    private readonly resources: ResourcesService,
    @Optional() private readonly changes?: ObjectChanges,
  ) {}

  async list(clusterId: string, query: EventQueryDto): Promise<EventListDto> {
    const since = query.since ? parseSince(query.since) : undefined;
    if (query.since && !since)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'since', errors: ['since must be ISO-8601 or a window like 15m'] },
      ]);
    const api = await this.resources.api(clusterId);
    const selector = [
      query.type && `type=${query.type}`,
      query.involvedKind && `involvedObject.kind=${query.involvedKind}`,
      query.involvedName && `involvedObject.name=${query.involvedName}`,
    ]
      .filter(Boolean)
      .join(',');
    const read = await readEvents(api, query.namespace, selector || undefined);
    return { items: aggregateEvents(read.items, since), truncated: read.truncated };
  }

  async forObject(
    clusterId: string,
    kindRef: string,
    name: string,
    namespace: string | undefined,
    include?: 'changes',
  ): Promise<EventListDto> {
    const api = await this.resources.api(clusterId);
    const kind = await api.resolve(kindRef);
    const obj = await api.get({ kind, namespace, name });
    const refs = [{ kind: kind.kind, name }, ...(await this.dependents(api, obj, namespace))];
    const { items, truncated } = await readEvents(
      api,
      kind.namespaced ? namespace : undefined,
      undefined,
    );
    const wanted = new Set(refs.map((r) => `${r.kind}/${r.name}`));
    const rows = aggregateEvents(
      items.filter((e) => wanted.has(`${e.involvedObject.kind}/${e.involvedObject.name}`)),
    );
    if (include !== 'changes' || !this.changes) return { items: rows, truncated };
    const changes = await this.changes.of(clusterId, {
      kind: kind.kind,
      namespace: namespace ?? '',
      name,
    });
    return { items: rows, truncated, timeline: timelineOf(rows, changes) };
  }

  /** The ReplicaSets and Pods a workload's selector covers; nothing for other kinds. */
  private async dependents(
    api: ObjectApi,
    obj: K8sObject,
    namespace: string | undefined,
  ): Promise<ObjectRef[]> {
    const labels: Record<string, string> | undefined = obj.spec?.selector?.matchLabels;
    if (!labels || !namespace || !obj.spec?.template) return [];
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const refs: ObjectRef[] = [];
    for (const kindRef of ['pods', 'replicasets.apps']) {
      const kind = await api.resolve(kindRef);
      const list = await api.list({ kind, namespace }, { labelSelector, limit: PAGE });
      refs.push(
        ...list.items.map((item) => ({ kind: kind.kind, name: item.metadata!.name as string })),
      );
    }
    return refs;
  }
}

function readEvents(
  api: ObjectApi,
  namespace: string | undefined,
  fieldSelector: string | undefined,
): Promise<{ items: K8sEvent[]; truncated: boolean }> {
  return api.listAll<K8sEvent>(
    { kind: 'events', namespace },
    { fieldSelector, limit: PAGE },
    MAX_EVENTS,
  );
}

/** Events (at their last occurrence) and changes on one timeline, newest first. */
function timelineOf(
  events: EventListDto['items'],
  changes: Awaited<ReturnType<ObjectChanges['of']>>,
): TimelineEntryDto[] {
  const entries: TimelineEntryDto[] = [
    ...events.map((event) => ({ at: event.lastSeen, type: 'event' as const, event })),
    ...changes.map((change) => ({ at: change.at, type: 'change' as const, change })),
  ];
  const time = (e: TimelineEntryDto) => (e.at ? Date.parse(e.at) : 0);
  return entries.sort((a, b) => time(b) - time(a));
}
