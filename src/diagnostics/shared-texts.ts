import type { Finding } from '../cluster-state/finding';
import { InternPool } from '../cluster-state/records/intern';

/** Bounded like the records' pool: texts that churn (messages naming objects) cannot grow it. */
const texts = new InternPool<string>(20_000);

const shared = (text: string): string => texts.get(text, () => text);

/**
 * The finding, changed in place to hold one shared instance of each text that many findings
 * repeat. A finding arrives from the diagnostics worker as a structured clone with its own copy of
 * every string: at 10k pods, 20,000 findings held 10,000 copies each of the same suggestions and
 * messages, 20,000 of the cluster id, kind, severity and first-seen time (~12 MiB of the request
 * thread's heap, marked and moved by every full collection). Names stay the finding's own.
 */
export function withSharedTexts(finding: Finding): Finding {
  finding.clusterId = shared(finding.clusterId);
  finding.code = shared(finding.code);
  finding.severity = shared(finding.severity) as Finding['severity'];
  finding.source = shared(finding.source) as Finding['source'];
  finding.message = shared(finding.message);
  finding.suggestion = shared(finding.suggestion);
  finding.firstSeen = shared(finding.firstSeen);
  const { object } = finding;
  object.group = shared(object.group);
  object.kind = shared(object.kind);
  object.namespace = shared(object.namespace);
  return finding;
}
