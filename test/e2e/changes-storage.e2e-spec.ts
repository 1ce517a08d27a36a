import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '../../src/app-data-source';
import { changeRow } from '../../src/changes/change-events';
import { ChangeRecord } from '../../src/changes/change-record.entity';
import { hashValue } from '../../src/cluster-state/records/change-fields';

/**
 * The storage bound of docs/changes.md: a full day at the default per-day bound
 * (changes.maxPerClusterPerDay = 20,000) of realistic changes, as the recorder shapes them,
 * written into SQLite in the recorder's batches, then measured. Fails if a stored change costs more
 * than the documented bytes, indexes included.
 */
jest.setTimeout(120_000);

const CLUSTER = '00000000-0000-4000-8000-000000000001';
const PER_DAY = 20_000;
/** The documented bound (docs/changes.md#storage-retention-bound): bytes per stored change. */
const MAX_BYTES_PER_CHANGE = 700;

function draft(i: number) {
  const ns = `team-${i % 50}-services`;
  const kinds = [
    {
      object: { group: 'apps', kind: 'Deployment', namespace: ns, name: `checkout-api-${i % 40}` },
      category: 'template' as const,
      diff: [
        {
          path: 'containers[app].image',
          old: `registry.example.com/shop/checkout-api:1.${i}.0`,
          new: `registry.example.com/shop/checkout-api:1.${i + 1}.0`,
        },
        {
          path: 'template.annotations[kubectl.kubernetes.io/restartedAt]',
          old: null,
          new: '2026-12-07T08:00:00Z',
        },
      ],
    },
    {
      object: { group: '', kind: 'ConfigMap', namespace: ns, name: `settings-${i % 40}` },
      category: 'data' as const,
      diff: [{ path: 'data[LOG_LEVEL]', old: hashValue(`a${i}`), new: hashValue(`b${i}`) }],
    },
    {
      object: { group: 'apps', kind: 'Deployment', namespace: ns, name: `checkout-api-${i % 40}` },
      category: 'rollout' as const,
      diff: [{ path: 'revision', old: String(i), new: String(i + 1) }],
    },
  ];
  const k = kinds[i % kinds.length];
  return {
    ...k,
    manager: 'kubectl-client-side-apply',
    summary: `image of container app changed from 1.${i}.0 to 1.${i + 1}.0 (and 1 more)`,
    resourceVersion: String(1_000_000 + i),
  };
}

describe('change timeline storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudpilot-changes-size-'));
  const file = join(dir, 'changes.db');
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource(appDataSourceOptions(`sqlite:///${file}`));
    await db.initialize();
    await db.runMigrations();
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`stores a day at the per-day bound in at most ${MAX_BYTES_PER_CHANGE} B per change`, async () => {
    const repo = db.getRepository(ChangeRecord);
    const empty = statSync(file).size;
    const start = Date.UTC(2026, 11, 7);
    for (let i = 0; i < PER_DAY; i += 200) {
      const rows = Array.from({ length: 200 }, (_, j) =>
        changeRow(CLUSTER, draft(i + j), start + ((i + j) * 86_400_000) / PER_DAY),
      );
      await repo.createQueryBuilder().insert().values(rows).orIgnore().execute();
    }
    await db.query('VACUUM');
    const perChange = (statSync(file).size - empty) / PER_DAY;
    process.stdout.write(
      `changes: ${perChange.toFixed(0)} B per stored change, ${((perChange * PER_DAY) / 1e6).toFixed(1)} MB per cluster-day at the bound\n`,
    );
    expect(await repo.count()).toBe(PER_DAY);
    expect(perChange).toBeLessThanOrEqual(MAX_BYTES_PER_CHANGE);
  });
});
