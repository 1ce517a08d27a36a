// Command line for the test cluster, behind the npm scripts:
//   cluster:up     [--name NAME] [--no-istio] [--nodes N] [--no-prometheus] [--scrape-interval 1s]
//   cluster:down   [--name NAME] [--all]
//   cluster:status
//   cluster:seed   [--name NAME]
//   cluster:scale  nodes N | pods M [--mode deployment|direct] [--namespace NS]  [--name NAME]
//   kubectl        ARGS…   (admin of CLOUDPILOT_CLUSTER, default "dev")
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ClusterError,
  DEFAULT_CLUSTER,
  bin,
  clusterStatus,
  ensureBinaries,
  ensureCluster,
  kubeconfigPath,
  listClusters,
  stopCluster,
} from './lib.mjs';
import { seedCluster } from './seed.mjs';
import { scaleNodes, scalePods } from './scale.mjs';

const commands = {
  async up(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string', default: DEFAULT_CLUSTER },
        'no-istio': { type: 'boolean' },
        nodes: { type: 'string' },
        'no-prometheus': { type: 'boolean' },
        'scrape-interval': { type: 'string' },
      },
    });
    const res = await ensureCluster({
      name: values.name,
      istio: !values['no-istio'],
      prometheus: !values['no-prometheus'],
      ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
      ...(values['scrape-interval'] ? { scrapeInterval: values['scrape-interval'] } : {}),
    });
    console.log(res.kubeconfigDir);
    if (res.prometheusUrl) console.error(`[cluster] Prometheus: ${res.prometheusUrl}`);
  },

  async down(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { name: { type: 'string', default: DEFAULT_CLUSTER }, all: { type: 'boolean' } },
    });
    for (const name of values.all ? listClusters() : [values.name]) await stopCluster(name);
  },

  async status() {
    const names = listClusters();
    if (!names.length) return console.log('no clusters (start one with `npm run cluster:up`)');
    for (const name of names) {
      const s = await clusterStatus(name);
      const nodes = s.nodes ? `${s.nodes.ready}/${s.nodes.total} nodes Ready` : '-';
      const mesh = s.istio === null ? '' : s.istio ? 'istio CRDs' : 'no istio';
      console.log(
        [
          name.padEnd(12),
          (s.ready ? 'running' : 'down').padEnd(8),
          s.server ?? '-',
          nodes,
          mesh,
          s.prometheusUrl ? `prometheus ${s.prometheusUrl}` : 'no prometheus',
          s.kubeconfigDir,
        ].join('  '),
      );
    }
  },

  async seed(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { name: { type: 'string', default: DEFAULT_CLUSTER } },
    });
    await seedCluster(values.name);
  },

  async scale(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string', default: DEFAULT_CLUSTER },
        mode: { type: 'string', default: 'deployment' },
        namespace: { type: 'string', default: 'bench' },
      },
    });
    const [what, n] = positionals;
    const count = Number(n);
    if (!['nodes', 'pods'].includes(what) || !Number.isInteger(count) || count < 1) {
      throw new ClusterError(
        'usage: cluster:scale nodes N | pods M [--mode deployment|direct] [--namespace NS] [--name NAME]',
      );
    }
    const t0 = Date.now();
    if (what === 'nodes') scaleNodes(values.name, count);
    else scalePods(values.name, { count, mode: values.mode, namespace: values.namespace });
    console.log(`${count} ${what} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  },

  async kubectl(argv) {
    const name = process.env.CLOUDPILOT_CLUSTER || DEFAULT_CLUSTER;
    ensureBinaries();
    const config = kubeconfigPath(name);
    if (!fs.existsSync(config))
      throw new ClusterError(`cluster "${name}" is not up: run \`npm run cluster:up\` first`);
    const res = spawnSync(bin('kubectl'), ['--kubeconfig', config, ...argv], { stdio: 'inherit' });
    process.exitCode = res.status ?? 1;
  },
};

const [command, ...rest] = process.argv.slice(2);
if (!commands[command]) {
  console.error(
    `usage: node ${path.relative(process.cwd(), process.argv[1])} ${Object.keys(commands).join('|')} [options]`,
  );
  process.exit(2);
}
try {
  await commands[command](rest);
} catch (err) {
  // Our own failures are one clear line; anything else keeps its stack for debugging.
  console.error(
    err instanceof ClusterError || err?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? `error: ${err.message}`
      : err,
  );
  process.exit(1);
}
