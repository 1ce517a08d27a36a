/** A nano-unit memory sum as a readable binary quantity (e.g. 3.5Gi), for evidence. */
export function formatQuantityNanos(nanos: bigint): string {
  const bytes = Number(nanos / 1_000_000_000n);
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10}${units[unit]}`;
}
