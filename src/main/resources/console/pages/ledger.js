// The raw ledger: the newest requests, one row each (served, blocked, failed), with filters. The one
// page that reads rows rather than aggregates, so it always asks for a bounded number.
import { get } from '../lib/api.js';
import { badge, download, emptyState, field, fill, h, loading, panel, problem, select, table, toCsv } from '../lib/dom.js';
import { addDays, dateTime, int, today, usd } from '../lib/format.js';

const FILTERS = ['team', 'user', 'workflow', 'agent', 'key', 'model', 'status'];

export default async function render(root, ctx) {
  const p = ctx.params;
  const t = today();
  const limit = select([['50', '50'], ['200', '200'], ['1000', '1,000']], { value: p.get('limit') || '50', name: 'limit' });
  const from = h('input', { type: 'date', name: 'from', value: p.get('from') || addDays(t, -6) });
  const to = h('input', { type: 'date', name: 'to', value: p.get('to') ? addDays(p.get('to'), -1) : t });
  const inputs = Object.fromEntries(FILTERS.map((f) => [f, f === 'status'
    ? select([['', 'any'], ['ok', 'ok'], ['blocked', 'blocked'], ['error', 'error']], { value: p.get(f) || '', name: f })
    : h('input', { type: 'text', name: f, value: p.get(f) || '', size: 12 })]));
  const form = h('form', { class: 'panel', id: 'ledger-form', on: { submit: (ev) => {
    ev.preventDefault();
    const params = { limit: limit.value, from: from.value, to: addDays(to.value, 1) };
    FILTERS.forEach((f) => { if (inputs[f].value.trim()) params[f] = inputs[f].value.trim(); });
    ctx.navigate(ctx.link('ledger', params));
  } } },
  h('div', { class: 'controls' }, field('From', from), field('To (inclusive)', to), ...FILTERS.map((f) => field(f[0].toUpperCase() + f.slice(1), inputs[f])),
    field('Rows', limit), h('button', { type: 'submit', class: 'primary' }, 'Show')));
  const list = h('div', { id: 'ledger-list' }, loading('Reading the ledger'));
  const detail = h('div', { id: 'ledger-detail' });
  const csv = h('button', { type: 'button', disabled: true }, 'Download CSV');
  root.append(form, panel({ title: 'Requests, newest first', sub: 'For totals use the Explorer: it adds up without reading rows', id: 'ledger', actions: csv }, list), detail);

  const query = { limit: limit.value, from: from.value, to: addDays(to.value, 1) };
  FILTERS.forEach((f) => { if (p.get(f)) query[f] = p.get(f); });
  let rows;
  try {
    rows = (await get('/admin/v1/ledger', query)).data;
  } catch (e) {
    fill(list, problem(e, 'The ledger could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  if (!rows.length) {
    fill(list, emptyState('No requests here', 'No request was recorded in this range with these filters. Widen the dates or clear a filter; new requests appear within a second or two.'));
    return;
  }
  const columns = [
    { key: 'started_at', label: 'Started', format: (v, r) => h('button', { type: 'button', class: 'link', on: { click: () => show(detail, r) } }, dateTime(v)) },
    { key: 'key', label: 'Key' },
    { key: 'team', label: 'Team' },
    { key: 'who', label: 'Workflow · agent · user', sort: false, value: (r) => [r.workflow, r.agent, r.user].filter(Boolean).join(' · ') || null },
    { key: 'served_model', label: 'Model', value: (r) => (r.requested_model && r.served_model && r.requested_model !== r.served_model ? `${r.requested_model} → ${r.served_model}` : r.served_model || r.requested_model) },
    { key: 'input_tokens', label: 'In', num: true, format: int },
    { key: 'output_tokens', label: 'Out', num: true, format: int },
    { key: 'cost_usd', label: 'Cost', num: true, value: (r) => Number(r.cost_usd), format: usd },
    { key: 'status', label: 'Status', format: (v, r) => h('span', {}, badge(v), r.error_code ? h('div', { class: 'sub' }, r.error_code) : null) },
    { key: 'latency_ms', label: 'Latency', num: true, format: (v) => (v === null ? '—' : `${int(v)} ms`) },
  ];
  fill(list, table({ id: 'ledger-table', caption: `${rows.length} rows (at most ${query.limit}); choose a time to see the whole row`, columns, rows }));
  csv.disabled = false;
  csv.addEventListener('click', () => {
    const keys = Object.keys(rows[0]).filter((k) => typeof rows[0][k] !== 'object' || rows[0][k] === null);
    download(`tollgate-ledger_${query.from}_${query.to}.csv`, toCsv(keys.map((k) => ({ label: k, value: (r) => r[k] })), rows));
  });
}

function show(box, r) {
  fill(box, panel({ title: `Request ${r.id}`, id: 'ledger-row' },
    h('dl', { class: 'kv' }, Object.entries(r).flatMap(([k, v]) => [h('dt', {}, k),
      h('dd', {}, v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : k.endsWith('_at') ? `${dateTime(v)} (${v})` : String(v))]))));
  box.querySelector('h2').setAttribute('tabindex', '-1');
  box.querySelector('h2').focus();
}
