// Small DOM helpers. Every value from the API reaches the page as text (textContent, attributes),
// never as HTML, so nothing the ledger holds can run as script.
import { ApiError } from './api.js';

let seq = 0;

/** A unique element id with a readable prefix. */
export function uid(prefix = 'id') {
  seq += 1;
  return `${prefix}-${seq}`;
}

/**
 * Builds an element: h('button', {class: 'primary', on: {click}}, 'Save').
 * Attributes: class, on (event map), dataset, style (object), boolean and property names; the rest
 * become attributes. Children: nodes, strings, numbers, arrays; null, undefined and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'style') Object.assign(el.style, value);
    else if (name === 'for') el.htmlFor = value;
    else if (['value', 'checked', 'selected', 'disabled', 'required', 'hidden', 'multiple', 'readOnly'].includes(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A labelled form control: the label names the control, the hint is read with it. */
export function field(label, control, hint, size) {
  if (!control.id) control.id = uid('f');
  let hintEl = null;
  if (hint) {
    hintEl = h('span', { class: 'hint', id: uid('hint') }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: ['field', size] }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(options, attrs = {}) {
  return h('select', attrs, options.map((o) => {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    return h('option', { value, selected: attrs.value === value }, label);
  }));
}

/** A message box; 'error' ones are announced at once (role=alert), others politely. */
export function notice(kind, ...children) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** What a page shows when it has nothing yet: what this is, and what to do next. */
export function emptyState(title, ...body) {
  return h('div', { class: 'empty' }, h('h3', {}, title), ...body.map((b) => (typeof b === 'string' ? h('p', {}, b) : b)));
}

export function loading(what = 'Loading') {
  return h('p', { class: 'loading', role: 'status' }, `${what}…`);
}

export function code(text) {
  return h('code', {}, text);
}

/**
 * A sortable table. columns: [{key, label, num, format(value,row) → string|Node, value(row), sort: false}].
 * Sorting keeps the focus on the header button so that keyboard users can sort again.
 */
export function table({ caption, columns, rows, id, rowAttrs, initialSort, pageSize = 200 }) {
  const state = { key: initialSort?.key ?? null, dir: initialSort?.dir ?? 'desc', limit: pageSize };
  const more = h('button', { type: 'button', hidden: true, on: { click: () => { state.limit = Infinity; render(); } } });
  const tbody = h('tbody');
  const headers = columns.map((c) => {
    if (c.sort === false) return h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label);
    const button = h('button', { type: 'button', class: 'sort', on: { click: () => sortBy(c.key) } }, c.label);
    return h('th', { scope: 'col', class: c.num ? 'num' : null, dataset: { key: c.key } }, button);
  });
  const valueOf = (c, r) => (c.value ? c.value(r) : r[c.key]);

  function sortBy(key) {
    state.dir = state.key === key && state.dir === 'desc' ? 'asc' : 'desc';
    state.key = key;
    render();
  }

  function render() {
    let sorted = rows;
    if (state.key) {
      const c = columns.find((col) => col.key === state.key);
      sorted = [...rows].sort((a, b) => compare(valueOf(c, a), valueOf(c, b)) * (state.dir === 'asc' ? 1 : -1));
    }
    headers.forEach((th, i) => {
      if (columns[i].key === state.key) th.setAttribute('aria-sort', state.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    more.hidden = sorted.length <= state.limit;
    more.textContent = `Show all ${sorted.length} rows (${Math.min(state.limit, sorted.length)} shown)`;
    fill(tbody, sorted.slice(0, state.limit).map((r) => h('tr', rowAttrs ? rowAttrs(r) : {}, columns.map((c) => {
      const v = valueOf(c, r);
      const shown = c.format ? c.format(v, r) : (v === null || v === undefined || v === '' ? '—' : String(v));
      return h('td', { class: c.num ? 'num' : null }, shown);
    }))));
  }

  render();
  return h('div', { class: 'table-wrap' },
    h('table', { id }, caption ? h('caption', {}, caption) : null, h('thead', {}, h('tr', {}, headers)), tbody), more);
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** RFC 4180 CSV of rows, one column per key. */
export function toCsv(columns, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value ? c.value(r) : r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Offers text as a file download. */
export function download(filename, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A horizontal bar of used (solid) and reserved (hatched) against a limit, with its numbers in
 * words for screen readers.
 */
export function usageBar(used, reserved, limit, words) {
  const pct = (v) => (limit > 0 ? Math.min(100, (100 * v) / limit) : 0);
  const u = pct(used);
  const r = Math.min(100 - u, pct(reserved));
  const level = limit > 0 && (used + reserved) / limit >= 1 ? 'over' : limit > 0 && (used + reserved) / limit >= 0.8 ? 'high' : 'ok';
  return h('div', { class: `bar ${level}`, role: 'img', 'aria-label': words },
    h('span', { class: 'used', style: { width: `${u}%` } }),
    h('span', { class: 'reserved', style: { width: `${r}%` } }));
}

/** A titled section of a page. */
export function panel({ title, sub, id, actions, level = 'h2' }, ...children) {
  return h('section', { class: 'panel', id, 'aria-labelledby': id ? `${id}-title` : null },
    h('header', {}, h('div', {}, h(level, { id: id ? `${id}-title` : null }, title), sub ? h('div', { class: 'sub' }, sub) : null),
      actions || null),
    ...children);
}

/** One headline number; data-value keeps the exact figure the API gave. */
export function kpi(label, shown, { id, value, note } = {}) {
  return h('div', { class: 'kpi' }, h('span', { class: 'label', id: id ? `${id}-label` : null }, label),
    h('span', { class: 'value', id, dataset: value !== undefined && value !== null ? { value: String(value) } : {},
      'aria-labelledby': id ? `${id}-label ${id}` : null }, shown),
    note ? h('span', { class: 'note' }, note) : null);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || text}` }, text);
}

/** An error box for a failed call, with the admin API's own words (they say what to do). */
export function problem(e, what = 'This page could not be loaded') {
  if (e instanceof ApiError && e.status === 403) return notice('error', h('strong', {}, 'Not allowed. '), e.message);
  if (e instanceof ApiError) return notice('error', h('strong', {}, `${what}. `), e.message);
  console.warn(e); // a bug in the console itself: keep the details for whoever reports it
  return notice('error', h('strong', {}, `${what}. `), 'Something went wrong in the console; reload the page to try again.');
}

/**
 * A secret shown once (a new key or admin token): a read-only field, selected, with a Copy button.
 * Returns the element holding both; the field has the given id.
 */
export function copyableSecret(secret, { id, label, announce }) {
  const input = h('input', { type: 'text', readOnly: true, value: secret, id, 'aria-label': label });
  const copy = h('button', { type: 'button', id: `${id}-copy`, on: { click: async () => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      input.select();
      document.execCommand('copy');
    }
    copy.textContent = 'Copied';
    announce('Secret copied to the clipboard');
  } } }, 'Copy');
  return h('div', { class: 'secret' }, input, copy);
}
