import { KubeClient } from './kube-client';

/** Accept headers that make the API server answer PartialObjectMetadata: object bodies (Secret data) never leave it. */
export const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const METADATA_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/**
 * Every object of a collection, read page by page (`limit` + `continue`), for one-off reads that
 * need the whole collection; long-lived views use ListWatch instead.
 */
export async function listAll(
  client: KubeClient,
  path: string,
  options: { metadataOnly?: boolean; pageSize?: number } = {},
): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let token: string | undefined;
  do {
    const page = await client.request<{
      items?: Record<string, any>[] | null;
      metadata?: { continue?: string };
    }>({
      path,
      accept: options.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
      query: { limit: options.pageSize ?? 500, continue: token },
    });
    // An empty PartialObjectMetadataList comes back with items: null.
    items.push(...(page.items ?? []));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}
