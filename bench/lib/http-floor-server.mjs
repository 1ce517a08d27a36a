// The floor of an HTTP answer on this machine: bare node:http, one bearer-token check (what any
// authenticated API does), and a fixed JSON body of the size the app answers with. bench/http-load
// starts it beside the app (--floor) so the app's cost is read as a ratio to it, which a loaded
// machine changes far less than an absolute figure.
//   node bench/lib/http-floor-server.mjs <port> <body.json> <token>
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, bodyFile, token] = process.argv.slice(2);
const body = JSON.parse(readFileSync(bodyFile, 'utf8'));
const expected = `Bearer ${token}`;
let served = 0;

http
  .createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"success":false,"code":"UNAUTHENTICATED"}');
      return;
    }
    // Serialised per request with a fresh id and time, as the app's envelope is.
    const payload = JSON.stringify({
      ...body,
      requestId: `floor-${++served}`,
      timestamp: new Date().toISOString(),
    });
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
