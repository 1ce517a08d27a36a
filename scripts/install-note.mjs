// postinstall, last: explains the EBADENGINE warnings a newcomer's `npm ci` prints when the
// machine's Node (the one running npm) is older than the project's. npm checks every package's
// "engines" against the Node running npm, but CloudPilot runs on the pinned `node` dev dependency
// (Node 24), so in a development install those warnings are expected. Real problems stay visible:
// nothing is silenced, and npm's own `npm error` lines are untouched.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The Node version npm ran on, from npm's user agent ("npm/11.19.1 node/v20.20.2 linux x64 …"). */
export function npmNodeVersion(userAgent) {
  return /\bnode\/v(\d+\.\d+\.\d+)/.exec(userAgent ?? '')?.[1];
}

/**
 * The note to print, or undefined when npm's Node already satisfies the project (no warnings to
 * explain). `pinned`: the version of the `node` dev dependency, absent in a production install.
 */
export function installNote(userAgent, requiredMajor, pinned) {
  const ran = npmNodeVersion(userAgent);
  if (!ran || Number(ran.split('.')[0]) >= requiredMajor) return undefined;
  if (pinned)
    return [
      `note: npm ran on the machine's Node ${ran}, so it printed "npm warn EBADENGINE" for packages`,
      `      that need a newer Node. CloudPilot does not run on that Node: every npm script (build,`,
      `      start, test) runs on the pinned Node ${pinned} installed with it (npm exec -- node --version).`,
      `      Those warnings are expected; "npm error" lines, if any, are real.`,
    ].join('\n');
  return [
    `warning: this is a production install (no pinned Node) and the Node running it is ${ran};`,
    `         CloudPilot needs Node ${requiredMajor}. The EBADENGINE warnings above are real: use Node ${requiredMajor}.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.cwd();
  const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node ?? '';
  const requiredMajor = Number(/\d+/.exec(engines)?.[0] ?? 0);
  const pinnedFile = join(root, 'node_modules', 'node', 'package.json');
  const pinned = existsSync(pinnedFile)
    ? JSON.parse(readFileSync(pinnedFile, 'utf8')).version
    : undefined;
  const note = installNote(process.env.npm_config_user_agent, requiredMajor, pinned);
  if (note) console.log(note);
}
