/**
 * Last line of defence for log output: whatever a library put in a message (client-node errors
 * embed request headers), bearer tokens, CloudPilot tokens and known secret values never reach
 * the log stream. Every rule's match holds a word ANY_RULE looks for.
 */
const RULES: Array<[RegExp, string]> = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/\bcpt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}/g, '[REDACTED]'],
];

/**
 * What every rule's match contains (a superset: case-insensitive): one scan that almost every line
 * fails, instead of one scan per rule. An access line took three times as long without it.
 */
const ANY_RULE = /bearer|basic|cpt_/i;

export function createRedactor(secrets: readonly string[]): (line: string) => string {
  const literal = secrets.filter((s) => s.length >= 8);
  return (line) => {
    let out = line;
    // includes() first: every log line passes here, and almost none holds a secret.
    for (const secret of literal)
      if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    if (!ANY_RULE.test(out)) return out;
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
    return out;
  };
}
