import { no, ok, type Outcome } from './reply.js';

type Dimension = 'temperature' | 'length' | 'mass' | 'volume' | 'time' | 'data';

/** Each unit: its dimension, and its size in the dimension's base unit (temperature is handled apart). */
const UNITS: Record<string, { dim: Dimension; factor: number; label: string }> = {};
function define(dim: Dimension, factor: number, label: string, ...names: string[]): void {
  for (const n of [label, ...names]) UNITS[n.toLowerCase()] = { dim, factor, label };
}
define('temperature', 1, 'celsius', 'c', '°c', 'degc', 'centigrade', 'degrees celsius');
define('temperature', 1, 'fahrenheit', 'f', '°f', 'degf', 'degrees fahrenheit');
define('temperature', 1, 'kelvin', 'k');
define('length', 0.001, 'mm', 'millimeter', 'millimeters', 'millimetre', 'millimetres');
define('length', 0.01, 'cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres');
define('length', 1, 'm', 'meter', 'meters', 'metre', 'metres');
define('length', 1000, 'km', 'kilometer', 'kilometers', 'kilometre', 'kilometres', 'kms');
define('length', 0.0254, 'in', 'inch', 'inches');
define('length', 0.3048, 'ft', 'foot', 'feet');
define('length', 0.9144, 'yd', 'yard', 'yards');
define('length', 1609.344, 'mi', 'mile', 'miles');
define('mass', 0.001, 'mg', 'milligram', 'milligrams');
define('mass', 1, 'g', 'gram', 'grams', 'gramme', 'grammes');
define('mass', 1000, 'kg', 'kilogram', 'kilograms', 'kilo', 'kilos');
define('mass', 1_000_000, 't', 'tonne', 'tonnes', 'metric ton', 'metric tons');
define('mass', 28.349523125, 'oz', 'ounce', 'ounces');
define('mass', 453.59237, 'lb', 'lbs', 'pound', 'pounds');
define('mass', 6350.29318, 'st', 'stone', 'stones');
define('volume', 0.001, 'ml', 'milliliter', 'milliliters', 'millilitre', 'millilitres');
define('volume', 1, 'l', 'liter', 'liters', 'litre', 'litres');
define('volume', 3.785411784, 'gal', 'gallon', 'gallons');
define('volume', 0.946352946, 'qt', 'quart', 'quarts');
define('volume', 0.473176473, 'pt', 'pint', 'pints');
define('volume', 0.2365882365, 'cup', 'cups');
define('volume', 0.0295735295625, 'fl oz', 'floz', 'fluid ounce', 'fluid ounces');
define('time', 0.001, 'ms', 'millisecond', 'milliseconds');
define('time', 1, 's', 'sec', 'secs', 'second', 'seconds');
define('time', 60, 'min', 'mins', 'minute', 'minutes');
define('time', 3600, 'h', 'hr', 'hrs', 'hour', 'hours');
define('time', 86400, 'day', 'days', 'd');
define('time', 604800, 'week', 'weeks', 'wk');
define('time', 31_557_600, 'year', 'years', 'yr');
define('data', 1, 'B', 'byte', 'bytes');
define('data', 1000, 'KB', 'kilobyte', 'kilobytes', 'kb');
define('data', 1e6, 'MB', 'megabyte', 'megabytes', 'mb');
define('data', 1e9, 'GB', 'gigabyte', 'gigabytes', 'gb');
define('data', 1e12, 'TB', 'terabyte', 'terabytes', 'tb');
define('data', 1024, 'KiB', 'kibibyte', 'kibibytes', 'kib');
define('data', 1024 ** 2, 'MiB', 'mebibyte', 'mebibytes', 'mib');
define('data', 1024 ** 3, 'GiB', 'gibibyte', 'gibibytes', 'gib');
define('data', 0.125, 'bit', 'bits');

function toCelsius(v: number, unit: string): number {
  return unit === 'fahrenheit' ? ((v - 32) * 5) / 9 : unit === 'kelvin' ? v - 273.15 : v;
}
function fromCelsius(v: number, unit: string): number {
  return unit === 'fahrenheit' ? (v * 9) / 5 + 32 : unit === 'kelvin' ? v + 273.15 : v;
}

function unitOf(word: string): { dim: Dimension; factor: number; label: string } | undefined {
  const w = word.trim().replace(/^degrees?\s+/i, '').replace(/\.$/, '');
  return UNITS[w.toLowerCase()] ?? UNITS[w];
}

const round = (n: number): string => (Math.abs(n) >= 1000 || Number.isInteger(n) ? String(Math.round(n * 100) / 100) : String(Number(n.toPrecision(6))));

export interface Conversion {
  amount: number;
  from: string;
  to: string;
}

/** "5 km to miles", "convert 100 °F into celsius", "how many grams in 2 lb", "3.5 GB in MB". */
export function parseConversion(text: string): Conversion | undefined {
  const t = text.replace(/,(?=\d{3}\b)/g, '');
  const direct = /(-?\d+(?:\.\d+)?)\s*((?:degrees?\s+)?°?[a-z][a-z ]{0,20}?)\s+(?:to|in|into|as|->|=)\s+((?:degrees?\s+)?°?[a-z][a-z ]{0,20}?)\s*[?.!]?$/i.exec(t.trim());
  if (direct) return { amount: Number(direct[1]), from: (direct[2] ?? '').trim(), to: (direct[3] ?? '').trim() };
  const howMany = /how many\s+([a-z °]+?)\s+(?:are\s+)?(?:in|is)\s+(-?\d+(?:\.\d+)?)\s*([a-z °]+?)\s*[?.!]?$/i.exec(t.trim());
  if (howMany) return { amount: Number(howMany[2]), from: (howMany[3] ?? '').trim(), to: (howMany[1] ?? '').trim() };
  return undefined;
}

export function convert(c: Conversion): Outcome {
  const from = unitOf(c.from);
  const to = unitOf(c.to);
  if (!from || !to) return no('I do not know the unit "' + (from ? c.to : c.from) + '". I convert temperature, length, mass, volume, time and data size.', { question: true });
  if (from.dim !== to.dim) return no('Cannot convert ' + from.label + ' (' + from.dim + ') to ' + to.label + ' (' + to.dim + ').');
  const value = from.dim === 'temperature' ? fromCelsius(toCelsius(c.amount, from.label), to.label) : (c.amount * from.factor) / to.factor;
  return ok(String(c.amount) + ' ' + from.label + ' = ' + round(value) + ' ' + to.label, { amount: c.amount, from: from.label, to: to.label, value });
}

/** Currency needs today's rates: a JSON document { rates: { EUR: 0.9, ... } } at the configured address. */
export async function convertCurrency(c: Conversion, ratesUrl: string, signal?: AbortSignal): Promise<Outcome> {
  const from = c.from.toUpperCase();
  const to = c.to.toUpperCase();
  if (!/^[A-Z]{3}$/.test(from) || !/^[A-Z]{3}$/.test(to)) return no('Give currencies as three-letter codes, e.g. "20 USD to EUR".', { question: true });
  const response = await fetch(ratesUrl, { signal: signal ?? AbortSignal.timeout(10_000) });
  if (!response.ok) return no('The rates service answered ' + String(response.status) + ' ' + response.statusText + '.');
  const body = (await response.json()) as { rates?: Record<string, number>; base?: string };
  const rates = { ...(body.rates ?? {}), ...(body.base ? { [body.base.toUpperCase()]: 1 } : {}) };
  const rf = rates[from];
  const rt = rates[to];
  if (rf === undefined || rt === undefined) return no('The rates service has no rate for ' + (rf === undefined ? from : to) + '.');
  const value = (c.amount / rf) * rt;
  return ok(String(c.amount) + ' ' + from + ' = ' + value.toFixed(2) + ' ' + to, { amount: c.amount, from, to, value });
}

const CURRENCY = /^[A-Za-z]{3}$/;

/**
 * A conversion from the message ("5 km to miles") or from named values (amount, from..., to...);
 * currency codes go to the rates address when one is configured. Nothing understood: a question.
 */
export async function convertAnswer(text: string, values: Record<string, unknown>, ratesUrl: string | undefined): Promise<Outcome> {
  const entries = Object.entries(values);
  const amount = entries.find(([, v]) => typeof v === 'number')?.[1];
  const from = entries.find(([k, v]) => /^from/i.test(k) && typeof v === 'string')?.[1];
  const to = entries.find(([k, v]) => /^to/i.test(k) && typeof v === 'string')?.[1];
  const c = parseConversion(text) ?? (typeof amount === 'number' && typeof from === 'string' && typeof to === 'string' ? { amount, from, to } : undefined);
  if (!c) return no('What should I convert? For example: "5 km to miles" or "100 fahrenheit in celsius".', { question: true });
  if (ratesUrl && CURRENCY.test(c.from) && CURRENCY.test(c.to) && !unitOf(c.from) && !unitOf(c.to)) return convertCurrency(c, ratesUrl);
  return convert(c);
}

/** Every unit this converter knows, by dimension: what a provider tells the agent it can convert. */
export function supportedUnits(): { text: string; units: Record<string, string[]> } {
  const units: Record<string, string[]> = {};
  for (const { dim, label } of Object.values(UNITS)) {
    const list = (units[dim] ??= []);
    if (!list.includes(label)) list.push(label);
  }
  const text = Object.entries(units).map(([dim, labels]) => dim + ': ' + labels.join(', ')).join('\n');
  return { text, units };
}
