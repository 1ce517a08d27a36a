import { AppError } from '../common/app-error';
import type { AppConfig, LlmProvider } from '../config/config.types';

/** One provider as CloudPilot calls it: everything the adapter needs, defaults filled in. */
export interface ResolvedProvider {
  name: string;
  kind: LlmProvider;
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
}

/** Where each kind listens by default; Azure has no default (its URL names the resource). */
const DEFAULT_BASE_URL: Record<LlmProvider, string | undefined> = {
  openai: 'https://api.openai.com/v1',
  azure: undefined,
  deepseek: 'https://api.deepseek.com/v1',
  qwen: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  vllm: 'http://127.0.0.1:8000/v1',
};

/** Local servers usually run without a key; the hosted ones never do. */
const KEYLESS: ReadonlySet<LlmProvider> = new Set(['ollama', 'vllm']);

type Candidate = Omit<ResolvedProvider, 'baseUrl'> & { baseUrl: string | undefined };

/** Why a provider cannot be used, or null when it can. */
function missing(p: Candidate): string | null {
  if (!p.baseUrl) return `set the base URL of provider "${p.name}" (CLOUDPILOT_LLM_BASE_URL)`;
  if (!p.apiKey && !KEYLESS.has(p.kind))
    return `set LLM_API_KEY (and LLM_PROVIDER, LLM_MODEL) for provider "${p.name}"`;
  return null;
}

/**
 * The default provider (from LLM_PROVIDER / LLM_API_KEY / LLM_MODEL / CLOUDPILOT_LLM_BASE_URL)
 * and every named one of llm.providers, keyed by name. Pure.
 */
export function candidateProviders(llm: AppConfig['llm']): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  out.set('default', {
    name: 'default',
    kind: llm.provider,
    baseUrl: llm.baseUrl ?? DEFAULT_BASE_URL[llm.provider],
    apiKey: llm.apiKey,
    model: llm.model,
    inputPricePerMTok: llm.inputPricePerMTok,
    outputPricePerMTok: llm.outputPricePerMTok,
  });
  for (const [name, p] of Object.entries(llm.providers ?? {})) {
    out.set(name, {
      name,
      kind: p.provider,
      baseUrl: p.baseUrl ?? DEFAULT_BASE_URL[p.provider],
      apiKey: p.apiKey,
      model: p.model ?? llm.model,
      inputPricePerMTok: p.inputPricePerMTok ?? 0,
      outputPricePerMTok: p.outputPricePerMTok ?? 0,
    });
  }
  return out;
}

/** The provider a request names (the default one when none), or LLM_NOT_CONFIGURED saying what to set. */
export function resolveProvider(llm: AppConfig['llm'], name = 'default'): ResolvedProvider {
  const candidate = candidateProviders(llm).get(name);
  if (!candidate)
    throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
      { field: 'provider', errors: [`no LLM provider named "${name}" is configured`] },
    ]);
  const why = missing(candidate);
  if (why) throw new AppError('LLM_NOT_CONFIGURED', `The assistant is not configured: ${why}`);
  return candidate as ResolvedProvider;
}

/** The names of providers that can be used, for the sessions listing and /readyz-like answers. */
export function usableProviders(llm: AppConfig['llm']): string[] {
  return [...candidateProviders(llm).values()].filter((p) => !missing(p)).map((p) => p.name);
}

/** USD for a call's tokens at the provider's prices. */
export function costOf(
  p: ResolvedProvider,
  promptTokens: number,
  completionTokens: number,
): number {
  return (promptTokens * p.inputPricePerMTok + completionTokens * p.outputPricePerMTok) / 1e6;
}
