import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCassette } from '../integration/support/cassette';

/** Two interactions and a timeout, in the layout Schemathesis 4.32's VCR writer produces. */
const CASSETTE = `command: 'st run'
recorded_with: 'Schemathesis 4.32.5'
seed: 1
http_interactions:
- id: 'A1'
  status: 'SUCCESS'
  recorded_at: '2026-12-02T17:00:00.000000'
  checks:
    - name: 'not_a_server_error'
      status: 'SUCCESS'
      message: ~
  request:
    uri: 'http://127.0.0.1:1/api/v1/clusters/contract/diagnostics/stream?x=''1'''
    method: 'GET'
    headers:
      "User-Agent":
      - "schemathesis"
  response:
    status:
      code: '200'
      message: "OK"
    elapsed: '0.01'
    headers:
      "Content-Type":
      - "application/json"
    body:
      encoding: 'utf-8'
      string: "{\\"code\\": '500'}"
    http_version: '1.1'
- id: 'A2'
  status: 'FAILURE'
  recorded_at: '2026-12-02T17:00:00.000000'
  checks:
    - name: 'response_schema_conformance'
      status: 'FAILURE'
      message: 'Response violates schema'
  request:
    uri: 'http://127.0.0.1:1/api/v1/clusters/contract/diagnostics/..'
    method: 'GET'
    headers:
  response:
    status:
      code: '500'
      message: "Internal Server Error"
- id: 'A3'
  status: 'ERROR'
  recorded_at: '2026-12-02T17:00:00.000000'
  checks: []
  request:
    uri: 'http://127.0.0.1:1/api/v1/clusters'
    method: 'TRACE'
    headers:
  response: null
`;

const PATHS = {
  '/api/v1/clusters/{clusterId}/diagnostics/{findingId}': { get: {} },
  '/api/v1/clusters/{clusterId}/diagnostics/stream': { get: {} },
  '/api/v1/clusters': { get: {} },
};

describe('readCassette', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cassette-'));
    writeFileSync(join(dir, 'c.yaml'), CASSETTE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every request by status, by operation (literal segments first) and failed check', async () => {
    await expect(readCassette(join(dir, 'c.yaml'), PATHS)).resolves.toEqual({
      requests: 3,
      byStatus: { '200': 1, '500': 1, none: 1 },
      byOperation: {
        'GET /api/v1/clusters/{clusterId}/diagnostics/stream': 1,
        // `..` as sent, not resolved away by URL parsing.
        'GET /api/v1/clusters/{clusterId}/diagnostics/{findingId}': 1,
      },
      unmatched: 1,
      failedChecks: { response_schema_conformance: 1 },
    });
  });
});
