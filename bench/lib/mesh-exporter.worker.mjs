// The synthetic mesh's exporter in a worker thread (startMeshExporter): rendering 100k series at
// each scrape takes the CPU for a few hundred ms, which on the bench's own event loop would show up
// as latency of the reads it measures, though no CloudPilot renders them.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { exposition, mesh } from './prometheus-mesh.mjs';

const { services, edges, reporters } = workerData;
const render = exposition(mesh(services, edges), { reporters });
const server = http.createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render()),
);
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
