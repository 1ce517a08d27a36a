import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '../../src/app-data-source';
import { HistorySample } from '../../src/history/history-sample.entity';
import { HistoryRetention } from '../../src/history/history-retention';
import { startPostgres, PostgresServer } from '../support/postgres-server';

// Tens of thousands of inserts and a correlated DELETE on a machine shared by six engineers.
jest.setTimeout(120_000);

const DAY = 86_400_000;
const TICK = 5 * 60_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

/** 40 days of one scope at a 5-minute tick, every tick present, values like the sampler's. */
async function fill(source: DataSource): Promise<number> {
  const repo = source.getRepository(HistorySample);
  const first = Math.floor((NOW - 40 * DAY) / TICK);
  const last = Math.floor(NOW / TICK);
  const rows = [];
  for (let slot = first; slot <= last; slot++) {
    rows.push({
      clusterId: '00000000-0000-4000-8000-000000000001',
      scope: 'namespace',
      name: 'shop',
      slot,
      at: new Date(slot * TICK).toISOString(),
      data: JSON.stringify({
        pods: 12,
        podsRunning: 11,
        podsPending: 1,
        podsFailed: 0,
        requestsCpu: 2.5,
        requestsMemory: 3221225472,
        limitsCpu: 5,
        limitsMemory: 6442450944,
      }),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
  return rows.length;
}

async function countBetween(source: DataSource, fromDaysAgo: number, toDaysAgo: number) {
  const from = new Date(NOW - fromDaysAgo * DAY).toISOString();
  const to = new Date(NOW - toDaysAgo * DAY).toISOString();
  const [{ n }] = await source.query(
    `SELECT COUNT(*) AS n FROM history_sample WHERE at >= '${from}' AND at < '${to}'`,
  );
  return Number(n);
}

async function checkCompaction(source: DataSource): Promise<void> {
  const before = await fill(source);
  expect(before).toBe(40 * 288 + 1);
  const deleted = await new HistoryRetention(source.getRepository(HistorySample), TICK).compact(
    NOW,
    35,
  );
  // The last day at every tick, then one per 15 minutes (3 ticks) to 30 days, one per hour to 35.
  await expect(countBetween(source, 1, -1)).resolves.toBeGreaterThanOrEqual(288);
  expect(await countBetween(source, 29, 1)).toBe(28 * 96);
  expect(await countBetween(source, 35, 31)).toBe(4 * 24);
  expect(await countBetween(source, 100, 35)).toBe(0);
  const left = await source.getRepository(HistorySample).count();
  expect(left + deleted).toBe(before);
  // Running it again changes nothing: compaction is idempotent.
  await expect(
    new HistoryRetention(source.getRepository(HistorySample), TICK).compact(NOW, 35),
  ).resolves.toBe(0);
}

describe('history retention', () => {
  it('downsamples and expires on SQLite', async () => {
    const source = await new DataSource(appDataSourceOptions('sqlite::memory:')).initialize();
    try {
      await checkCompaction(source);
    } finally {
      await source.destroy();
    }
  });

  describe('on PostgreSQL', () => {
    let pg: PostgresServer;
    beforeAll(async () => (pg = await startPostgres()));
    afterAll(() => pg.stop());

    it('downsamples and expires, and reports the bytes a stored sample takes', async () => {
      const source = await new DataSource(appDataSourceOptions(pg.url)).initialize();
      try {
        await checkCompaction(source);
        await source.query('VACUUM FULL history_sample');
        const [{ bytes, n }] = await source.query(
          "SELECT pg_total_relation_size('history_sample') AS bytes, (SELECT COUNT(*) FROM history_sample) AS n",
        );
        const perRow = Number(bytes) / Number(n);
        process.stderr.write(
          `history_sample: ${n} rows, ${bytes} bytes with indexes, ${perRow.toFixed(0)} B per row\n`,
        );
        expect(perRow).toBeLessThan(1024);
      } finally {
        await source.destroy();
      }
    });
  });
});
