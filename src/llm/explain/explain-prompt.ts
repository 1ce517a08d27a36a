import type { ChatMessage } from '../chat-types';

/** Asks for JSON so the answer splits into cause, evidence and fix without guessing. */
export function explainPrompt(language: 'zh' | 'en', evidenceJson: string): ChatMessage[] {
  const lang = language === 'zh' ? 'Simplified Chinese (简体中文)' : 'English';
  return [
    {
      role: 'system',
      content:
        'You are CloudPilot, an SRE assistant. Explain one diagnostics finding of a Kubernetes/Istio ' +
        `cluster for an on-call engineer, in ${lang}. Reply with only a JSON object: ` +
        '{"cause": string, "evidence": string[], "fix": string}. Base the evidence on the data given; ' +
        'values shown as [REDACTED] were hidden on purpose. `suspects` are recent changes ranked as ' +
        'likely causes (values starting hash: are hidden values); name the one the evidence supports.',
    },
    { role: 'user', content: `Finding, suspected changes and related events:\n${evidenceJson}` },
  ];
}

/** The model's JSON answer; an answer that is not JSON becomes the cause, so nothing is lost. */
export function parseExplanation(text: string): { cause: string; evidence: string[]; fix: string } {
  const body = /\{[\s\S]*\}/.exec(text)?.[0];
  try {
    const parsed = JSON.parse(body ?? '') as Record<string, unknown>;
    return {
      cause: typeof parsed.cause === 'string' ? parsed.cause : '',
      evidence: Array.isArray(parsed.evidence) ? parsed.evidence.map(String) : [],
      fix: typeof parsed.fix === 'string' ? parsed.fix : '',
    };
  } catch {
    return { cause: text.trim(), evidence: [], fix: '' };
  }
}
