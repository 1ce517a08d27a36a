import type { ChatMessage } from './chat-types';

/** The assistant's standing instructions; not stored, so a prompt change applies to old sessions too. */
export function systemPrompt(language: string, clusterName: string): string {
  const answerIn =
    language === 'zh' ? 'Answer in Simplified Chinese (简体中文).' : 'Answer in English.';
  return [
    `You are CloudPilot, an SRE assistant for the Kubernetes cluster "${clusterName}" and its Istio mesh.`,
    'Investigate with the read tools before answering: ground every claim in what they return, and',
    'cite the objects, events and log lines you rely on. Say plainly when the data does not tell.',
    'You cannot change the cluster. When a change would help, call a propose_* tool: it runs a dry',
    'run and shows the proposal to the user; an operator decides. Never ask for Secret values or',
    `credentials; values shown as [REDACTED] were hidden on purpose. ${answerIn}`,
  ].join(' ');
}

/**
 * A history whose last assistant turn asked for tools that never answered (the client left, or the
 * budget ran out) is completed with error results, because providers reject such a history.
 */
export function repairHistory(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    out.push(m);
    if (m.role !== 'assistant' || !m.toolCalls?.length) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j].role === 'tool'; j++)
      answered.add((messages[j] as { toolCallId: string }).toolCallId);
    let k = i + 1;
    while (k < messages.length && messages[k].role === 'tool') out.push(messages[k++]);
    for (const call of m.toolCalls)
      if (!answered.has(call.id))
        out.push({ role: 'tool', toolCallId: call.id, content: '{"error":{"code":"NOT_RUN"}}' });
    i = k - 1;
  }
  return out;
}
