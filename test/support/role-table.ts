/**
 * The role table of docs/security.md, generated from the OpenAPI document (itself generated from
 * the routes' ApiEndpoint declarations and kept equal to them by the openapi e2e test): one row
 * per /api operation with its least role and its access rule.
 */
export function roleTable(document: { paths: Record<string, Record<string, any>> }): string {
  const rows = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const role = /Requires the (\w+) role/.exec(String(op.description ?? ''))?.[1] ?? '?';
        return `| \`${method.toUpperCase()} ${path}\` | ${role} | ${op['x-access'] ?? '(none)'} |`;
      }),
    );
  return ['| Operation | Least role | Access rule |', '| --- | --- | --- |', ...rows].join('\n');
}

export const ROLE_TABLE_START =
  '<!-- role-table:start (generated: test/unit/docs-in-sync.spec.ts) -->';
export const ROLE_TABLE_END = '<!-- role-table:end -->';
