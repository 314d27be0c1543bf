/**
 * Dates and times in plain English, the common forms only: "in 30 minutes", "in 2 hours",
 * "tomorrow at 9", "today at 5pm", "at 18:30", "on 2027-01-05 at 10:00", an ISO timestamp.
 * Times are the host's local time. Returns the moment and the words it used, or undefined.
 */
export interface When {
  at: Date;
  matched: string;
}

const UNIT_MS: Record<string, number> = {
  second: 1000, sec: 1000, s: 1000,
  minute: 60_000, min: 60_000, m: 60_000,
  hour: 3_600_000, hr: 3_600_000, h: 3_600_000,
  day: 86_400_000, d: 86_400_000,
  week: 604_800_000, w: 604_800_000,
};
const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, ten: 10, fifteen: 15, twenty: 20, thirty: 30, half: 0.5 };

function unitMs(unit: string): number | undefined {
  const u = unit.toLowerCase().replace(/s$/, '');
  return UNIT_MS[u];
}

function clock(hourText: string, minuteText: string | undefined, meridiem: string | undefined): { h: number; m: number } | undefined {
  let h = Number(hourText);
  const m = minuteText ? Number(minuteText) : 0;
  const mer = meridiem?.toLowerCase().replace(/\./g, '');
  if (mer === 'pm' && h < 12) h += 12;
  if (mer === 'am' && h === 12) h = 0;
  if (h > 23 || m > 59) return undefined;
  return { h, m };
}

export function parseWhen(text: string, now: Date = new Date()): When | undefined {
  const relative = /\bin\s+(\d+(?:\.\d+)?|a|an|one|two|three|four|five|ten|fifteen|twenty|thirty|half an?)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|[smhdw])\b/i.exec(text);
  if (relative) {
    const amountWord = (relative[1] ?? '').toLowerCase().replace(/ an?$/, '');
    const amount = WORD_NUMBERS[amountWord] ?? Number(amountWord);
    const ms = unitMs(relative[2] ?? '');
    if (ms !== undefined && Number.isFinite(amount)) return { at: new Date(now.getTime() + amount * ms), matched: relative[0] };
  }
  const iso = /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\b/.exec(text);
  if (iso) {
    const at = new Date(iso[2] ? iso[0].replace(' ', 'T') : iso[1] + 'T09:00:00');
    if (!Number.isNaN(at.getTime())) {
      const tail = /^\s+at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?/i.exec(text.slice(iso.index + iso[0].length));
      const c = !iso[2] && tail ? clock(tail[1] ?? '', tail[2], tail[3]) : undefined;
      if (c) at.setHours(c.h, c.m, 0, 0);
      return { at, matched: iso[0] + (c && tail ? tail[0] : '') };
    }
  }
  const day = /\b(today|tonight|tomorrow)\b(?:\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?)?/i.exec(text);
  const at = /\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*(?:%|[a-z]))/i.exec(text);
  if (day || at) {
    const target = new Date(now.getTime());
    const word = day?.[1]?.toLowerCase();
    if (word === 'tomorrow') target.setDate(target.getDate() + 1);
    const c = day?.[2] ? clock(day[2], day[3], day[4]) : at ? clock(at[1] ?? '', at[2], at[3]) : word === 'tonight' ? { h: 20, m: 0 } : { h: 9, m: 0 };
    if (!c) return undefined;
    target.setHours(c.h, c.m, 0, 0);
    // "at 9" said at 10:00 means tomorrow's 9:00.
    if (!word && target.getTime() <= now.getTime()) target.setDate(target.getDate() + 1);
    const matched = day ? (day[2] || !at ? day[0] : day[0] + ' ' + at[0]) : (at?.[0] ?? '');
    return { at: target, matched };
  }
  return undefined;
}

/** A duration such as "10 minutes" or "90s" in milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /\b(\d+(?:\.\d+)?|a|an|one|two|three|five|ten|fifteen|twenty|thirty)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|[smhdw])\b/i.exec(text);
  if (!match) return undefined;
  const word = (match[1] ?? '').toLowerCase();
  const amount = WORD_NUMBERS[word] ?? Number(word);
  const ms = unitMs(match[2] ?? '');
  return ms === undefined || !Number.isFinite(amount) ? undefined : amount * ms;
}
