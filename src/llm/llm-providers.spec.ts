import type { AppConfig } from '../config/config.types';
import { candidateProviders, costOf, resolveProvider, usableProviders } from './llm-providers';

const llm = (over: Partial<AppConfig['llm']> = {}): AppConfig['llm'] => ({
  provider: 'openai',
  apiKey: undefined,
  model: 'gpt-4o-mini',
  baseUrl: undefined,
  providers: {},
  timeoutSeconds: 60,
  maxRetries: 2,
  requestDeadlineSeconds: 180,
  maxToolCalls: 12,
  maxTokens: 60000,
  toolResultMaxBytes: 16384,
  proposalTtlSeconds: 900,
  redactPatterns: [],
  inputPricePerMTok: 0,
  outputPricePerMTok: 0,
  ...over,
});

describe('provider resolution', () => {
  it('is LLM_NOT_CONFIGURED without a key, naming the variables to set', () => {
    expect(() => resolveProvider(llm())).toThrow(/LLM_API_KEY/);
    expect(usableProviders(llm())).toEqual([]);
  });

  it('fills in each kind’s base URL; Ollama and vLLM need no key', () => {
    expect(resolveProvider(llm({ provider: 'ollama', model: 'qwen2.5:7b' }))).toMatchObject({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'qwen2.5:7b',
    });
    expect(resolveProvider(llm({ provider: 'deepseek', apiKey: 'k' })).baseUrl).toBe(
      'https://api.deepseek.com/v1',
    );
    expect(resolveProvider(llm({ provider: 'qwen', apiKey: 'k' })).baseUrl).toContain(
      'compatible-mode/v1',
    );
  });

  it('requires a base URL for Azure', () => {
    expect(() => resolveProvider(llm({ provider: 'azure', apiKey: 'k' }))).toThrow(/base URL/);
  });

  it('serves named providers next to the default, and refuses unknown names as a 400', () => {
    const config = llm({
      apiKey: 'k',
      providers: {
        local: { provider: 'vllm', baseUrl: 'http://10.0.0.5:8000/v1', model: 'llama' },
      },
    });
    expect([...candidateProviders(config).keys()]).toEqual(['default', 'local']);
    expect(resolveProvider(config, 'local')).toMatchObject({ kind: 'vllm', model: 'llama' });
    expect(() => resolveProvider(config, 'other')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('prices tokens per million', () => {
    const p = resolveProvider(llm({ apiKey: 'k', inputPricePerMTok: 2, outputPricePerMTok: 8 }));
    expect(costOf(p, 1_000_000, 500_000)).toBe(6);
  });
});
