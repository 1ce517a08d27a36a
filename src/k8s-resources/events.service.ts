import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { KubeClient } from '../kubernetes/kube-client';
import { aggregateEvents, K8sEvent, parseSince } from './event-aggregation';
import { EventListDto, EventQueryDto } from './events.dto';
import { K8sObject } from './object-views';
import { ResourcesService } from './resources.service';

const MAX_EVENTS = 5000;
const PAGE = 500;

type ObjectRef = { kind: string; name: string };

/** Events of a cluster or of one object (a workload's events include its ReplicaSets' and Pods'). */
@Injectable()
export class EventsService {
  constructor(private readonly resources: ResourcesService) {}

  async list(clusterId: string, query: EventQueryDto): Promise<EventListDto> {
    const since = query.since ? parseSince(query.since) : undefined;
    if (query.since && !since)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'since', errors: ['since must be ISO-8601 or a window like 15m'] },
      ]);
    const { client, resource: events } = await this.resources.resolve(clusterId, 'events');
    const selector = [
      query.type && `type=${query.type}`,
      query.involvedKind && `involvedObject.kind=${query.involvedKind}`,
      query.involvedName && `involvedObject.name=${query.involvedName}`,
    ]
      .filter(Boolean)
      .join(',');
    const read = await readEvents(
      client,
      this.resources.path(events, query.namespace),
      selector || undefined,
    );
    return { items: aggregateEvents(read.events, since), truncated: read.truncated };
  }

  async forObject(
    clusterId: string,
    kindRef: string,
    name: string,
    namespace: string | undefined,
  ): Promise<EventListDto> {
    const { client, resource } = await this.resources.resolve(clusterId, kindRef);
    if (resource.namespaced && !namespace)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'namespace', errors: [`${resource.kind} is namespaced: namespace is required`] },
      ]);
    const obj = await client.request<K8sObject>({
      path: this.resources.path(resource, namespace, name),
    });
    const refs = [
      { kind: resource.kind, name },
      ...(await this.dependents(clusterId, obj, namespace)),
    ];
    const eventsPath = this.resources.path(
      (await this.resources.resolve(clusterId, 'events')).resource,
      resource.namespaced ? namespace : undefined,
    );
    const { events, truncated } = await readEvents(client, eventsPath, undefined);
    const wanted = new Set(refs.map((r) => `${r.kind}/${r.name}`));
    return {
      items: aggregateEvents(
        events.filter((e) => wanted.has(`${e.involvedObject.kind}/${e.involvedObject.name}`)),
      ),
      truncated,
    };
  }

  /** The ReplicaSets and Pods a workload's selector covers; nothing for other kinds. */
  private async dependents(
    clusterId: string,
    obj: K8sObject,
    namespace: string | undefined,
  ): Promise<ObjectRef[]> {
    const labels: Record<string, string> | undefined = obj.spec?.selector?.matchLabels;
    if (!labels || !namespace || !obj.spec?.template) return [];
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const refs: ObjectRef[] = [];
    for (const kind of ['pods', 'replicasets.apps']) {
      const { client, resource } = await this.resources.resolve(clusterId, kind);
      const list = await client.request<{ items: K8sObject[] }>({
        path: this.resources.path(resource, namespace),
        query: { labelSelector, limit: PAGE },
      });
      refs.push(
        ...list.items.map((item) => ({ kind: resource.kind, name: item.metadata!.name as string })),
      );
    }
    return refs;
  }
}

async function readEvents(
  client: KubeClient,
  path: string,
  fieldSelector: string | undefined,
): Promise<{ events: K8sEvent[]; truncated: boolean }> {
  const events: K8sEvent[] = [];
  let token: string | undefined;
  do {
    const page = await client.request<{ items: K8sEvent[]; metadata?: { continue?: string } }>({
      path,
      query: { fieldSelector, limit: PAGE, continue: token },
    });
    events.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token && events.length < MAX_EVENTS);
  return { events, truncated: Boolean(token) };
}
