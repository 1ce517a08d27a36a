import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiToken } from '../../src/auth/api-token.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { appDataSourceOptions } from '../../src/app-data-source';
import { serializeTransactionsOnSqlite } from '../../src/database/serial-transactions';
import { LlmProposal } from '../../src/llm/proposals/llm-proposal.entity';
import { LlmMessage } from '../../src/llm/sessions/llm-message.entity';
import { LlmSession } from '../../src/llm/sessions/llm-session.entity';
import { startPostgres, PostgresServer } from '../support/postgres-server';
import { ADMIN_TOKEN, bearer, startTestApp } from './support/test-app';

async function roundTrip(url: string): Promise<void> {
  const source = await new DataSource(appDataSourceOptions(url)).initialize();
  try {
    expect(await source.showMigrations()).toBe(false);
    const token = {
      id: randomUUID(),
      name: `t-${randomUUID()}`,
      role: 'viewer' as const,
      grants: JSON.stringify([{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }]),
      publicId: randomUUID().replace(/-/g, '').slice(0, 16),
      secretHash: 'a'.repeat(64),
      createdAt: new Date().toISOString(),
      expiresAt: null,
      lastUsedAt: null,
    };
    await source.getRepository(ApiToken).insert(token);
    await expect(source.getRepository(ApiToken).findOneByOrFail({ id: token.id })).resolves.toEqual(
      token,
    );
    const entry = {
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: 'a',
      role: 'admin',
      principalKind: 'oidc',
      grants: JSON.stringify([{ role: 'admin' }]),
      method: 'POST',
      route: '/r',
      path: '/r',
      target: null,
      status: 201,
      resultCode: 'OK',
      requestId: 'rid',
    };
    await source.getRepository(AuditEntry).insert(entry);
    await expect(
      source.getRepository(AuditEntry).findOneByOrFail({ id: entry.id }),
    ).resolves.toEqual(entry);
    await expect(
      source.getRepository(ApiToken).insert({ ...token, id: randomUUID(), publicId: 'other' }),
    ).rejects.toThrow();
    await roundTripLlm(source);
  } finally {
    await source.destroy();
  }
  // A second start finds every migration applied and keeps the data.
  const again = await new DataSource(appDataSourceOptions(url)).initialize();
  try {
    expect(await again.getRepository(ApiToken).count()).toBeGreaterThan(0);
  } finally {
    await again.destroy();
  }
}

/** The assistant's tables: a session, a message with tool calls and a proposal come back as stored. */
async function roundTripLlm(source: DataSource): Promise<void> {
  const now = new Date().toISOString();
  const session: LlmSession = {
    id: randomUUID(),
    owner: randomUUID(),
    title: '为什么 checkout 失败',
    clusterId: 'prod',
    provider: 'default',
    model: 'm',
    language: 'zh',
    promptTokens: 1200,
    completionTokens: 300,
    costMicroUsd: 4800,
    createdAt: now,
    updatedAt: now,
  };
  const message: LlmMessage = {
    id: randomUUID(),
    sessionId: session.id,
    seq: 1,
    role: 'assistant',
    content: 'x'.repeat(70_000),
    toolCalls: JSON.stringify([{ id: 'c', name: 'pod_logs', arguments: '{}' }]),
    toolCallId: null,
    toolName: null,
    createdAt: now,
  };
  const proposal: LlmProposal = {
    id: randomUUID(),
    sessionId: session.id,
    owner: session.owner,
    clusterId: 'prod',
    action: 'scale',
    targetKind: 'deployments',
    targetNamespace: 'shop',
    targetName: 'web',
    params: '{"replicas":3}',
    reason: 'r',
    preview: '{"result":null,"diff":[]}',
    resourceVersion: '12345',
    status: 'pending',
    createdAt: now,
    expiresAt: now,
    decidedBy: null,
    decidedAt: null,
    resultCode: null,
  };
  await source.getRepository(LlmSession).insert(session);
  await source.getRepository(LlmMessage).insert(message);
  await source.getRepository(LlmProposal).insert(proposal);
  await expect(
    source.getRepository(LlmSession).findOneByOrFail({ id: session.id }),
  ).resolves.toEqual(session);
  await expect(
    source.getRepository(LlmMessage).findOneByOrFail({ id: message.id }),
  ).resolves.toEqual(message);
  await expect(
    source.getRepository(LlmProposal).findOneByOrFail({ id: proposal.id }),
  ).resolves.toEqual(proposal);
}

describe('the database on SQLite (better-sqlite3)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cp-sqlite-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the migrations and round-trips tokens and audit entries', async () => {
    await roundTrip(`sqlite:///${join(dir, 'nested', 'cloudpilot.db')}`);
  });

  it('uses WAL and synchronous=FULL, because it stores credentials', async () => {
    const source = await new DataSource(
      appDataSourceOptions(`sqlite:///${join(dir, 'pragma.db')}`),
    ).initialize();
    try {
      await expect(source.query('PRAGMA journal_mode')).resolves.toEqual([{ journal_mode: 'wal' }]);
      await expect(source.query('PRAGMA synchronous')).resolves.toEqual([{ synchronous: 2 }]);
    } finally {
      await source.destroy();
    }
  });

  it('runs concurrent transactions one after another instead of refusing all but one', async () => {
    const url = `sqlite:///${join(dir, 'concurrent.db')}`;
    const entry = (requestId: string) => ({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: 'a',
      role: 'admin',
      principalKind: 'token',
      grants: '[]',
      method: 'POST',
      route: '/r',
      path: '/r',
      target: null,
      status: 201,
      resultCode: 'OK',
      requestId,
    });
    // Two inserts with a pause between them, six at once: as concurrent registrations do.
    const sixAtOnce = (source: DataSource) =>
      Promise.allSettled(
        [...Array(6).keys()].map((i) =>
          source.transaction(async (tx) => {
            await tx.insert(AuditEntry, entry(`r${i}`));
            await new Promise((r) => setTimeout(r, 5));
            await tx.insert(AuditEntry, entry(`r${i}`));
          }),
        ),
      );
    const plain = await new DataSource(appDataSourceOptions(url)).initialize();
    try {
      // The driver alone refuses the overlapping ones: what the serialization is for.
      const refused = (await sixAtOnce(plain)).filter((r) => r.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
    } finally {
      await plain.destroy();
    }
    const source = serializeTransactionsOnSqlite(
      await new DataSource(appDataSourceOptions(url)).initialize(),
    );
    try {
      await source.getRepository(AuditEntry).clear();
      const results = await sixAtOnce(source);
      expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
      await expect(source.getRepository(AuditEntry).count()).resolves.toBe(12);
    } finally {
      await source.destroy();
    }
  });
});

describe('the database on PostgreSQL', () => {
  let pg: PostgresServer;
  beforeAll(async () => (pg = await startPostgres()), 60_000);
  afterAll(() => pg?.stop());

  it('runs the same migrations and round-trips tokens and audit entries', async () => {
    await roundTrip(pg.url);
  });

  it('serves the whole application from it', async () => {
    const t = await startTestApp({ env: { DATABASE_URL: pg.url } });
    try {
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'pg-token', role: 'viewer' })
        .expect(201);
      await expect(t.http().get('/readyz')).resolves.toMatchObject({ status: 200 });
    } finally {
      await t.close();
    }
  });
});
