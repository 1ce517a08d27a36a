import { PROVIDER_NAME_RULE } from '../common/input-vocabulary';
import type { NamedLlmProvider } from './config.types';
import { httpUrl, listOf, nonEmpty, oneOf, Parser, structured } from './config-parsers';

const PROVIDER_KINDS = ['openai', 'azure', 'deepseek', 'qwen', 'ollama', 'vllm'] as const;
const providerKind = oneOf(...PROVIDER_KINDS);
const FIELDS = new Set([
  'provider',
  'baseUrl',
  'apiKey',
  'model',
  'inputPricePerMTok',
  'outputPricePerMTok',
]);

/** A non-negative price in USD (per million tokens). */
export const price: Parser<number> = (raw) => {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`must be a non-negative number, got ${JSON.stringify(raw)}`);
  return value;
};

/** A list of regular expressions: a YAML list, or one comma-separated string from the env. */
export const regexList: Parser<string[]> = (raw) => {
  const items = listOf(raw, String);
  for (const item of items) {
    try {
      new RegExp(item, 'g');
    } catch {
      throw new Error(`${JSON.stringify(item)} is not a valid regular expression`);
    }
  }
  return items;
};

/**
 * Named providers besides the default one: a YAML mapping, or the same as JSON in the env.
 * Every field is checked here so a typo fails at start-up, not at the first question.
 */
export const llmProviders: Parser<Record<string, NamedLlmProvider>> = (raw) => {
  const value = structured(raw, 'object of name → {provider, baseUrl, apiKey, model}');
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('must be a mapping of name → {provider, baseUrl, apiKey, model}');
  const out: Record<string, NamedLlmProvider> = {};
  for (const [name, entry] of Object.entries(value)) out[name] = namedProvider(name, entry);
  return out;
};

function namedProvider(name: string, entry: unknown): NamedLlmProvider {
  if (!PROVIDER_NAME_RULE.pattern.test(name) || name === 'default')
    throw new Error(
      `provider name ${JSON.stringify(name)} must be a short DNS label other than "default"`,
    );
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    throw new Error(`${name} must be a mapping`);
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !FIELDS.has(k));
  if (unknown.length) throw new Error(`${name}: unknown field(s) ${unknown.join(', ')}`);
  const at = (field: string, parse: Parser<unknown>) => {
    try {
      return e[field] === undefined ? undefined : parse(e[field]);
    } catch (error) {
      throw new Error(`${name}.${field} ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    provider: (at('provider', providerKind) as NamedLlmProvider['provider']) ?? 'openai',
    baseUrl: at('baseUrl', httpUrl) as string | undefined,
    apiKey: at('apiKey', nonEmpty) as string | undefined,
    model: at('model', nonEmpty) as string | undefined,
    inputPricePerMTok: at('inputPricePerMTok', price) as number | undefined,
    outputPricePerMTok: at('outputPricePerMTok', price) as number | undefined,
  };
}
