import { parseAllDocuments } from 'yaml';
import { AppError } from '../common/app-error';

export interface ManifestDoc {
  index: number;
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace?: string;
  body: Record<string, any>;
}

function invalid(index: number, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field: `manifest[${index}]`, errors: [message] },
  ]);
}

/** Splits a multi-document manifest into objects with their group, version, kind and name checked. */
export function parseManifest(text: string): ManifestDoc[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs)) throw invalid(0, 'not a YAML stream');
  const out: ManifestDoc[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length)
      throw invalid(index, `invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    // A bounded alias count keeps "billion laughs" documents from expanding in memory.
    let body: unknown;
    try {
      body = doc.toJS({ maxAliasCount: 20 });
    } catch (error) {
      throw invalid(index, `invalid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (body === null || body === undefined) return;
    if (typeof body !== 'object' || Array.isArray(body))
      throw invalid(index, 'each document must be a Kubernetes object');
    const obj = body as Record<string, any>;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string')
      throw invalid(index, 'apiVersion and kind are required');
    if (obj.kind === 'List' || obj.kind.endsWith('List'))
      throw invalid(
        index,
        'List documents are not applied; give the objects as separate documents',
      );
    if (typeof obj.metadata?.name !== 'string' || !obj.metadata.name)
      throw invalid(index, 'metadata.name is required');
    const [group, version] = obj.apiVersion.includes('/')
      ? obj.apiVersion.split('/', 2)
      : ['', obj.apiVersion];
    out.push({
      index,
      group,
      version,
      kind: obj.kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      body: obj,
    });
  });
  if (out.length === 0) throw invalid(0, 'the manifest holds no object');
  if (out.length > 100) throw invalid(100, 'at most 100 objects per apply');
  return out;
}
