import { no, ok, type Outcome } from './reply.js';

const CITY_ZONES: Record<string, string> = {
  london: 'Europe/London', paris: 'Europe/Paris', berlin: 'Europe/Berlin', madrid: 'Europe/Madrid', rome: 'Europe/Rome',
  moscow: 'Europe/Moscow', tokyo: 'Asia/Tokyo', beijing: 'Asia/Shanghai', shanghai: 'Asia/Shanghai', delhi: 'Asia/Kolkata',
  mumbai: 'Asia/Kolkata', dubai: 'Asia/Dubai', singapore: 'Asia/Singapore', sydney: 'Australia/Sydney',
  'new york': 'America/New_York', 'los angeles': 'America/Los_Angeles', chicago: 'America/Chicago',
  toronto: 'America/Toronto', 'sao paulo': 'America/Sao_Paulo', 'mexico city': 'America/Mexico_City', cairo: 'Africa/Cairo',
  lagos: 'Africa/Lagos', utc: 'UTC', gmt: 'UTC',
};

function valid(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The time zone a message names: an IANA name ("Asia/Tokyo"), a known city, or UTC; else the fallback. */
export function zoneIn(text: string, fallback: string): string | undefined {
  const iana = /\b([A-Z][A-Za-z]+\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?)\b/.exec(text)?.[1];
  if (iana) return valid(iana) ? iana : undefined;
  const lower = text.toLowerCase();
  const city = Object.keys(CITY_ZONES).find((c) => new RegExp('\\b' + c + '\\b').test(lower));
  if (city) return CITY_ZONES[city];
  const named = /\bin\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*\??$/.exec(text)?.[1];
  if (named) return undefined;
  return valid(fallback) ? fallback : 'UTC';
}

/** Now in a zone; a zone setting that is not a valid IANA name reads as UTC rather than failing. */
export function nowIn(setting: string, at: Date = new Date()): { date: string; time: string; weekday: string; iso: string; zone: string } {
  const zone = valid(setting) ? setting : 'UTC';
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long' }).format(at);
  return { date, time, weekday, iso: at.toISOString(), zone };
}

/** "what time is it in Tokyo", "what's the date", "what day is it in America/New_York". */
export function timeAnswer(text: string, defaultZone: string): Outcome {
  const zone = zoneIn(text, defaultZone);
  if (!zone) return no('I do not know that place\'s time zone; name a city such as Tokyo or a zone such as "Asia/Tokyo".', { question: true });
  const now = nowIn(zone);
  return ok('It is ' + now.time + ' on ' + now.weekday + ' ' + now.date + ' in ' + zone + '.', now);
}
