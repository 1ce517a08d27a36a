import { getRepositoryToken } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repository } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from './support/test-app';

describe('the audit entry of a mutation', () => {
  let t: TestApp;
  let dir: string;
  let entries: Repository<AuditEntry>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-audit-order-'));
    t = await startTestApp({ env: { DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}` } });
    entries = t.app.get(getRepositoryToken(AuditEntry));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is committed before the response reaches the client, even when the write is slow', async () => {
    // A slow disk or a busy database: the audit write takes 300 ms. A crash during those 300 ms
    // must not lose the entry of a mutation the client already saw succeed, so the response waits.
    const insert = entries.insert.bind(entries);
    jest.spyOn(entries, 'insert').mockImplementation(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return insert(...args);
    });
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'ordered', role: 'viewer', expiresInDays: 1 });
    expect(res.status).toBe(201);
    const requestId = res.headers['x-request-id'];
    await expect(entries.findOneBy({ requestId })).resolves.toMatchObject({
      method: 'POST',
      status: 201,
      resultCode: 'OK',
    });
  });
});
