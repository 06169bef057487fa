// Numbers, money and dates as people read them. Dates are always shown in the org's time zone (the
// admin API names it), never the browser's, so that "today" means the same day as the budgets' day.

let zone = 'UTC';

export function setZone(tz) {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    zone = tz;
  } catch {
    zone = 'UTC';
  }
}

export function timeZone() {
  return zone;
}

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumSignificantDigits: 3 });
const usdCompact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** US dollars to the cent; amounts under a cent keep three significant digits ($0.00412). */
export function usd(v) {
  const n = num(v);
  if (n === null || Number.isNaN(n)) return '—';
  if (n !== 0 && Math.abs(n) < 0.01) return usdSmall.format(n);
  return usd2.format(n);
}

/** For chart axes: $1.2K. */
export function usdShort(v) {
  const n = num(v);
  if (n === null) return '';
  return Math.abs(n) < 1000 ? usd2.format(n).replace(/\.00$/, '') : usdCompact.format(n);
}

export function int(v) {
  const n = num(v);
  return n === null || Number.isNaN(n) ? '—' : whole.format(n);
}

export function short(v) {
  const n = num(v);
  return n === null || Number.isNaN(n) ? '—' : compact.format(n);
}

export function pct(fraction) {
  const n = num(fraction);
  return n === null ? '—' : `${(100 * n).toFixed(n < 0.1 && n > 0 ? 1 : 0)}%`;
}

/** An amount in a budget's unit: usd, tokens, input_tokens, output_tokens or requests. */
export function amount(v, unit) {
  if (unit === 'usd') return usd(v);
  const words = { tokens: 'tokens', input_tokens: 'input tokens', output_tokens: 'output tokens', requests: 'requests' };
  return `${int(v)} ${words[unit] || unit || ''}`.trim();
}

const formatters = new Map();
function formatter(options) {
  const key = zone + JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options }));
  return formatters.get(key);
}

/** "25 Nov 2026, 14:03" in the org's zone. */
export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return formatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "25 Nov 2026" in the org's zone. */
export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return formatter({ day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** A calendar day written YYYY-MM-DD, e.g. a bucket's day, as "Wed 25 Nov". */
export function day(ymd) {
  const [y, m, d] = ymd.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** Today's date in the org's zone, YYYY-MM-DD. */
export function today() {
  return ymdOf(new Date());
}

/** The org-zone calendar date of an instant, YYYY-MM-DD. */
export function ymdOf(instant) {
  const parts = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export function monthStart(ymd) {
  return `${ymd.slice(0, 7)}-01`;
}

export function addMonths(ymd, n) {
  const [y, m] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

export function daysInMonth(ymd) {
  const [y, m] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "November 2026" for a YYYY-MM or YYYY-MM-DD. */
export function monthName(ymd) {
  const [y, m] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Every day from `from` (inclusive) to `to` (exclusive), YYYY-MM-DD. */
export function daysBetween(from, to) {
  const out = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The instant at which a calendar day starts in the org's zone, as an ISO string (for the API). */
export function startOfDay(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  let guess = Date.UTC(y, m - 1, d);
  // Two rounds settle the zone's offset, also on days when it changes.
  for (let i = 0; i < 2; i++) guess = Date.UTC(y, m - 1, d) - offset(new Date(guess));
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}

function offset(instant) {
  const parts = formatter({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(instant);
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** A dimension value for display: null means the request did not say. */
export function dim(v) {
  return v === null || v === undefined || v === '' ? '(none)' : String(v);
}
