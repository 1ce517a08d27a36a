import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_KEYS } from '../../src/config/config-keys';
import { loadConfig } from '../../src/config/config-loader';
import { ERROR_CATALOGUE } from '../../src/common/error-codes';
import { ROLE_TABLE_END, ROLE_TABLE_START, roleTable } from '../support/role-table';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('documentation stays true to the code', () => {
  it('config/config.example.yaml is a valid config that mentions every key and variable', () => {
    const text = read('config/config.example.yaml');
    expect(() =>
      loadConfig(['--config', join(ROOT, 'config/config.example.yaml')], {}),
    ).not.toThrow();
    expect(parse(text)).toBeTruthy();
    for (const key of CONFIG_KEYS) {
      const leaf = key.path.split('.').pop()!;
      expect([key.path, text.includes(`${leaf}:`)]).toEqual([key.path, true]);
      if (key.env) expect([key.path, text.includes(key.env)]).toEqual([key.path, true]);
    }
  });

  it('the README config table lists every key with its variable and flag', () => {
    const readme = read('README.md');
    for (const key of CONFIG_KEYS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key.path}\``));
      expect([key.path, row]).toEqual([
        key.path,
        expect.stringContaining(key.env ? `\`${key.env}\`` : ''),
      ]);
      if (key.flag) expect(row).toContain(`--${key.flag}`);
    }
  });

  it('docs/api.md lists every error code', () => {
    const api = read('docs/api.md');
    for (const code of Object.keys(ERROR_CATALOGUE))
      expect([code, api.includes(`\`${code}\``)]).toEqual([code, true]);
  });

  it('docs/security.md has the role table of every /api operation, as the code declares it', () => {
    const doc = read('docs/security.md');
    const start = doc.indexOf(ROLE_TABLE_START);
    const end = doc.indexOf(ROLE_TABLE_END);
    expect([start >= 0, end > start]).toEqual([true, true]);
    const committed = doc.slice(start + ROLE_TABLE_START.length, end).trim();
    // On a mismatch, the expected text is the table to paste between the markers.
    expect(committed).toBe(roleTable(JSON.parse(read('openapi.json'))));
  });
});
