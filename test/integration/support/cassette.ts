import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * What a Schemathesis VCR cassette says was really sent: every recorded request, its status, and
 * the operation of the document it belongs to. The deep run's figures come from here, not from an
 * estimate, so "≥ 50,000 requests over every operation" is counted request by request.
 */
export interface CassetteFigures {
  requests: number;
  /** Responses by status code; a request that got no response (timeout) is counted as `none`. */
  byStatus: Record<string, number>;
  /** Requests per documented operation (`GET /api/v1/...`), templates as in the document. */
  byOperation: Record<string, number>;
  /** Requests to no documented operation: the coverage phase's probes with another method (TRACE, …). */
  unmatched: number;
  /** Check results recorded as FAILURE, by check (`not_a_server_error`, `response_schema_conformance`, …). */
  failedChecks: Record<string, number>;
}

type Matcher = { operation: string; method: string; pattern: RegExp; params: number };

/** One matcher per operation; literal segments win over parameters (`stream` vs `{findingId}`). */
function matchers(paths: Record<string, Record<string, unknown>>): Matcher[] {
  return Object.entries(paths)
    .flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => {
        const source = path
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*');
        return {
          operation: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          pattern: new RegExp(`^${source}$`),
          params: (path.match(/\{/g) ?? []).length,
        };
      }),
    )
    .sort((a, b) => a.params - b.params);
}

const unquote = (value: string) => value.replace(/^'|'$/g, '').replace(/''/g, "'");

/** Streams the cassette (tens of MB for a deep run) and counts its interactions. */
export async function readCassette(
  file: string,
  paths: Record<string, Record<string, unknown>>,
): Promise<CassetteFigures> {
  const all = matchers(paths);
  const figures: CassetteFigures = {
    requests: 0,
    byStatus: {},
    byOperation: {},
    unmatched: 0,
    failedChecks: {},
  };
  let check = '';
  let uri: string | undefined;
  let awaitingStatus = false;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const settle = () => {
    if (awaitingStatus) figures.byStatus.none = (figures.byStatus.none ?? 0) + 1;
    awaitingStatus = false;
  };
  for await (const line of lines) {
    if (line.startsWith('- id: ')) settle();
    else if (line.startsWith('    uri: ')) uri = unquote(line.slice(9));
    else if (line.startsWith('    method: ') && uri !== undefined) {
      const method = unquote(line.slice(12));
      // As sent: new URL() would resolve the `.` and `..` path parameters the fuzzer generates.
      const path = /^[a-z]+:\/\/[^/]*([^?#]*)/i.exec(uri)?.[1] ?? uri;
      const hit = all.find((m) => m.method === method && m.pattern.test(path));
      figures.requests++;
      if (hit) figures.byOperation[hit.operation] = (figures.byOperation[hit.operation] ?? 0) + 1;
      else figures.unmatched++;
      uri = undefined;
      awaitingStatus = true;
    } else if (awaitingStatus && line.startsWith('      code: ')) {
      const code = unquote(line.slice(12));
      figures.byStatus[code] = (figures.byStatus[code] ?? 0) + 1;
      awaitingStatus = false;
    } else if (line.startsWith('    - name: ')) check = unquote(line.slice(12));
    else if (line === "      status: 'FAILURE'")
      figures.failedChecks[check] = (figures.failedChecks[check] ?? 0) + 1;
  }
  settle();
  return figures;
}
