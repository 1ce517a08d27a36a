// postinstall: rebuild better-sqlite3 against the headers of the pinned `node` dev dependency
// (24.18.1, see README), because npm scripts and Jest run on that Node, not on the machine's own.
// A production install (`npm ci --omit=dev`, as in docker/Dockerfile) has no `node` package: the
// runtime is then the Node that ran npm, and better-sqlite3's own install script has already built
// the addon for it, so there is nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const headers = join(
  process.cwd(),
  'node_modules',
  'node',
  'node_modules',
  `node-${process.platform}-${process.arch}`,
);
if (!existsSync(join(headers, 'include', 'node'))) {
  console.log(
    `rebuild-native: no pinned node dev dependency (production install); better-sqlite3 stays built for ${process.version}`,
  );
  process.exit(0);
}
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const res = spawnSync(
  npm[0],
  [...npm.slice(1), 'rebuild', 'better-sqlite3', `--nodedir=${headers}`],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
