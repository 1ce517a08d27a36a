import { accessSync, constants, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../common/startup-error';
import { dataSourceOptions, ensureWritableDirectory } from './database-options';

describe('the SQLite directory check', () => {
  it('creates a missing directory', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cp-db-')), 'a', 'b');
    ensureWritableDirectory(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    accessSync(dir, constants.W_OK);
  });

  it('refuses a directory that cannot be created with a StartupError naming it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cp-db-')), 'not-a-dir');
    writeFileSync(file, '');
    expect(() => dataSourceOptions(`sqlite:///${file}/sub/cloudpilot.db`, [])).toThrow(
      StartupError,
    );
    expect(() => ensureWritableDirectory(join(file, 'sub'))).toThrow(
      `the SQLite directory ${join(file, 'sub')} is not writable (ENOTDIR)`,
    );
  });
});
