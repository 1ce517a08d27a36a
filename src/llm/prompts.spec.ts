import { Budget } from './budget';
import type { ChatMessage } from './chat-types';
import { parseExplanation } from './explain/explain-prompt';
import { repairHistory } from './prompts';

describe('repairHistory', () => {
  it('answers tool calls that never got a result, so providers accept the history', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'a', name: 'x', arguments: '{}' },
          { id: 'b', name: 'y', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'a', content: '{}' },
      { role: 'user', content: 'again' },
    ];
    const repaired = repairHistory(history);
    expect(repaired.map((m) => (m.role === 'tool' ? `tool:${m.toolCallId}` : m.role))).toEqual([
      'user',
      'assistant',
      'tool:a',
      'tool:b',
      'user',
    ]);
  });

  it('leaves a complete history as it is', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ];
    expect(repairHistory(history)).toEqual(history);
  });
});

describe('Budget', () => {
  const llm = { requestDeadlineSeconds: 10, maxTokens: 100, maxToolCalls: 2 } as never;

  it('counts tool calls and refuses the one past the limit', () => {
    const b = new Budget(llm, 0);
    b.takeToolCall();
    b.takeToolCall();
    expect(() => b.takeToolCall()).toThrow(
      expect.objectContaining({ code: 'LLM_BUDGET_EXCEEDED' }),
    );
  });

  it('refuses a model call after the deadline or the token budget', () => {
    const b = new Budget(llm, 0);
    expect(() => b.checkModelCall(5_000)).not.toThrow();
    expect(() => b.checkModelCall(10_000)).toThrow(/deadline/);
    b.add({ promptTokens: 90, completionTokens: 10 });
    expect(() => b.checkModelCall(1)).toThrow(/token budget/);
  });
});

describe('parseExplanation', () => {
  it('reads the JSON answer, even wrapped in prose or a code fence', () => {
    expect(
      parseExplanation('Here:\n```json\n{"cause":"c","evidence":["e"],"fix":"f"}\n```'),
    ).toEqual({ cause: 'c', evidence: ['e'], fix: 'f' });
  });
  it('keeps a non-JSON answer as the cause', () => {
    expect(parseExplanation('just text')).toEqual({ cause: 'just text', evidence: [], fix: '' });
  });
});
