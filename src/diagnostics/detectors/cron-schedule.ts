/**
 * The standard cron syntax of CronJob schedules (five fields, names, ranges, steps, the @ macros),
 * read as the CronJob controller reads it (robfig/cron ParseStandard): when day-of-month and
 * day-of-week are both restricted, either may match. Only what detectors need: the latest time a
 * schedule fired at or before a moment, in UTC.
 * See https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax.
 */
interface Field {
  values: Set<number>;
  /** Written as `*` or `?`: any value. */
  star: boolean;
}

export interface CronSchedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function value(text: string, names: string[] | undefined, offset: number): number {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(text)) throw new Error(`not a cron value: ${text}`);
  return Number(text);
}

function field(text: string, min: number, max: number, names?: string[]): Field {
  const values = new Set<number>();
  const star = text === '*' || text === '?';
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : value(stepText, undefined, 0);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      from = value(a, names, min);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b, names, min);
    }
    if (step < 1 || from < min || to > max || from > to) throw new Error(`out of range: ${part}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, star };
}

/** The schedule, or undefined when it is not in the standard syntax (`@every`, a time-zone prefix). */
export function parseCron(schedule: string): CronSchedule | undefined {
  const text = MACROS[schedule.trim().toLowerCase()] ?? schedule.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return undefined;
  try {
    const dow = field(parts[4], 0, 7, DAYS);
    // 7 is Sunday too.
    if (dow.values.delete(7)) dow.values.add(0);
    return {
      minute: field(parts[0], 0, 59),
      hour: field(parts[1], 0, 23),
      dom: field(parts[2], 1, 31),
      month: field(parts[3], 1, 12, MONTHS),
      dow,
    };
  } catch {
    return undefined;
  }
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.dom.values.has(d.getUTCDate());
  const dow = s.dow.values.has(d.getUTCDay());
  return s.dom.star || s.dow.star ? dom && dow : dom || dow;
}

const DAY_MS = 86_400_000;
/** Far enough back for `0 0 29 2 *` (leap days) with room to spare. */
const MAX_DAYS = 8 * 366;

const highest = (values: Set<number>, atMost: number): number | undefined => {
  let best: number | undefined;
  for (const v of values) if (v <= atMost && (best === undefined || v > best)) best = v;
  return best;
};

/** The latest minute at or before `atMs` the schedule fires, or undefined within eight years. */
export function previousFire(s: CronSchedule, atMs: number): number | undefined {
  const at = new Date(atMs);
  let dayStart = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  for (let i = 0; i < MAX_DAYS; i++, dayStart -= DAY_MS) {
    const day = new Date(dayStart);
    if (!s.month.values.has(day.getUTCMonth() + 1) || !dayMatches(s, day)) continue;
    const today = i === 0;
    for (let h = highest(s.hour.values, today ? at.getUTCHours() : 23); h !== undefined;) {
      const lastMinute = today && h === at.getUTCHours() ? at.getUTCMinutes() : 59;
      const m = highest(s.minute.values, lastMinute);
      if (m !== undefined) return dayStart + h * 3_600_000 + m * 60_000;
      h = h === 0 ? undefined : highest(s.hour.values, h - 1);
    }
  }
  return undefined;
}
