// The physical floor of a cold sync: the same paginated LISTs ClusterCache sends (every monitored
// kind at once, limit=500 + continue, metadata-only Accept for ConfigMaps and Secrets) on bare
// node:https, each page JSON.parse'd and dropped. No transform, no store, no aggregates.
//   npm run bench:floor   (prints JSON)
import { performance } from 'node:perf_hooks';
import { builtInCachedKinds } from './lib/cloudpilot.mjs';
import { kubeHttp } from './lib/kube.mjs';

const META_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const MONITORED_KINDS = builtInCachedKinds();
const k = kubeHttp(undefined, { maxSockets: Infinity });
await k.json('GET', '/version');

let restarts = 0;
const t0 = performance.now();
const perKind = await Promise.all(
  MONITORED_KINDS.map(async (spec) => {
    let objects = 0;
    let bytes = 0;
    let pages = 0;
    let token;
    let more = true;
    while (more) {
      const query = `limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const res = await k.request('GET', `${spec.path}?${query}`, {
        accept: spec.metadataOnly ? META_LIST : 'application/json',
      });
      if (res.status === 410) {
        // Continue token compacted away (the test cluster compacts etcd every 20 s): start this
        // kind over, as an informer must; counted, so the floor stays honest about it.
        restarts += 1;
        objects = bytes = pages = 0;
        token = undefined;
        continue; // with more still true: from the first page
      }
      if (res.status !== 200) throw new Error(`${spec.path}: HTTP ${res.status}`);
      bytes += Buffer.byteLength(res.text);
      const page = JSON.parse(res.text);
      objects += (page.items ?? []).length;
      pages += 1;
      token = page.metadata?.continue || undefined;
      more = token !== undefined;
    }
    return { kind: spec.key, objects, pages, bytes };
  }),
);
const ms = performance.now() - t0;
k.close();
console.log(
  JSON.stringify({
    floorMs: Math.round(ms),
    restarts,
    objects: perKind.reduce((n, k) => n + k.objects, 0),
    megabytes: Math.round(perKind.reduce((n, k) => n + k.bytes, 0) / 1e5) / 10,
    perKind,
  }),
);
