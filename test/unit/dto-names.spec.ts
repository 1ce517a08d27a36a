import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');

/** Every exported class named `…Dto` in src, with the files that declare it. */
function dtoClasses(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f !== 'metadata.ts',
  );
  for (const file of files)
    for (const [, name] of readFileSync(join(SRC, file), 'utf8').matchAll(
      /^export (?:abstract )?class (\w+Dto)\b/gm,
    ))
      found.set(name, [...(found.get(name) ?? []), file]);
  return found;
}

describe('DTO names', () => {
  // The OpenAPI document keys component schemas by class name: two DTOs of one name are documented
  // with one shape (the first registered), and the other's responses violate their own document.
  it('gives every DTO class its own name', () => {
    const shared = [...dtoClasses()].filter(([, files]) => files.length > 1);
    expect(shared).toEqual([]);
  });

  it('finds the DTOs it checks (the scan is not empty)', () => {
    expect(dtoClasses().has('MeshFindingDto')).toBe(true);
  });
});
