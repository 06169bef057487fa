// Explorer: spend grouped by any attribution dimension, filtered, over any time range, as a chart and
// a table that downloads as CSV. The query lives in the address (#/explorer?group_by=team&…) so a
// view can be bookmarked or sent to a colleague.
import { usage } from '../lib/api.js';
import { rankChart, timeChart } from '../lib/charts.js';
import { download, emptyState, field, fill, h, kpi, loading, panel, problem, select, table, toCsv } from '../lib/dom.js';
import { addDays, addMonths, day, dim, int, monthName, monthStart, short, today, usd } from '../lib/format.js';

/** The dimensions of GET /admin/v1/usage (docs/api.md), plus tag:<key>. */
export const DIMENSIONS = ['team', 'project', 'workflow', 'agent', 'user', 'channel', 'model', 'served_model', 'requested_model',
  'provider', 'tier', 'workload_class', 'key', 'status', 'error_code', 'route_reason', 'class_reason', 'exception_id',
  'conversation', 'org'];
const RESERVED = ['group_by', 'granularity', 'from', 'to', 'metric'];
const METRICS = { cost_usd: ['Spend (USD)', 'usd'], requests: ['Requests', 'requests'], tokens: ['Tokens (in + out)', 'tokens'] };

const metricOf = (row, metric) => (metric === 'tokens' ? Number(row.input_tokens) + Number(row.output_tokens) : Number(row[metric]));
const label = (d) => d.replace(/_/g, ' ');

export default async function render(root, ctx) {
  const t = today();
  const p = ctx.params;
  const q = {
    groupBy: (p.get('group_by') ?? 'team').split(',').filter(Boolean),
    granularity: p.get('granularity') ?? '',
    from: p.get('from') || monthStart(t),
    to: p.get('to') || addDays(t, 1),
    metric: METRICS[p.get('metric')] ? p.get('metric') : 'cost_usd',
    filters: [...p.entries()].filter(([k]) => !RESERVED.includes(k)),
  };

  const form = controls(q, ctx);
  const summary = h('div', { class: 'kpis', id: 'ex-summary' });
  const chartBox = h('div', { class: 'chart', id: 'ex-chart' });
  const tableBox = h('div', { id: 'ex-table' }, loading('Adding up'));
  const csv = h('button', { type: 'button', id: 'ex-csv', disabled: true }, 'Download CSV');
  root.append(form, summary,
    panel({ title: 'Chart', sub: `${METRICS[q.metric][0]}, ${range(q)}`, id: 'ex-chart-panel' }, chartBox),
    panel({ title: 'Table', sub: 'Every row of the answer; sort by any column', id: 'ex-table-panel', actions: csv }, tableBox));

  const query = { from: q.from, to: q.to, group_by: q.groupBy.join(','), granularity: q.granularity };
  for (const [k, v] of q.filters) query[k] = v;
  let report;
  try {
    report = await usage(query);
  } catch (e) {
    fill(tableBox, problem(e, 'The usage could not be read'));
    chartBox.remove();
    return;
  }
  if (!ctx.alive()) return;
  const tt = report.totals;
  fill(summary,
    kpi('Spend', usd(tt.cost_usd), { id: 'ex-total-cost', value: tt.cost_usd }),
    kpi('Requests', int(tt.requests), { id: 'ex-total-requests', value: tt.requests }),
    kpi('Input tokens', short(tt.input_tokens), { note: `${int(tt.cached_input_tokens)} from cache` }),
    kpi('Output tokens', short(tt.output_tokens), { note: `${int(tt.reasoning_tokens)} reasoning` }));

  if (!report.rows.length || Number(tt.requests) === 0) {
    chartBox.closest('section').remove();
    fill(tableBox, emptyState('No usage matches',
      `Nothing was recorded for ${range(q)}${q.filters.length ? ' with these filters' : ''}.`,
      'Widen the time range (try "Last 90 days"), remove a filter, or check that traffic goes through this gateway.'));
    return;
  }

  const columns = [
    ...(q.granularity ? [{ key: 'bucket', label: bucketLabel(q.granularity), format: (v) => bucketText(v, q.granularity), csv: (r) => r.bucket }] : []),
    ...q.groupBy.map((d) => ({ key: d, label: label(d), format: (v) => dim(v) })),
    { key: 'requests', label: 'Requests', num: true, format: int },
    { key: 'input_tokens', label: 'Input tokens', num: true, format: int },
    { key: 'cached_input_tokens', label: 'Cached input', num: true, format: int },
    { key: 'output_tokens', label: 'Output tokens', num: true, format: int },
    { key: 'reasoning_tokens', label: 'Reasoning', num: true, format: int },
    { key: 'cost_usd', label: 'Cost (USD)', num: true, format: (v) => usd(v), value: (r) => Number(r.cost_usd) },
  ];
  fill(tableBox, table({ caption: `${report.rows.length} rows · ${range(q)} · times in ${report.time_zone}`, columns, rows: report.rows, id: 'explorer-table',
    initialSort: q.granularity ? null : { key: 'cost_usd', dir: 'desc' } }));
  csv.disabled = false;
  csv.addEventListener('click', () => {
    const csvColumns = columns.map((c) => ({ label: c.key, value: c.csv || ((r) => r[c.key]) }));
    download(`tollgate-usage_${q.from}_${q.to}${q.groupBy.length ? `_by-${q.groupBy.join('-')}` : ''}.csv`, toCsv(csvColumns, report.rows));
    ctx.announce('CSV downloaded');
  });
  drawChart(chartBox, report, q);
}

function range(q) {
  const last = addDays(q.to.slice(0, 10), -1);
  return q.from === last ? day(q.from) : `${day(q.from)} – ${day(last)} ${last.slice(0, 4)}`;
}

function bucketLabel(g) {
  return { hour: 'Hour', day: 'Day', week: 'Week of', month: 'Month' }[g] || 'Bucket';
}

/** Buckets come in the org's zone with their offset ("2026-11-25T00:00+01:00"): read them as written. */
function bucketText(v, g) {
  if (!v) return '—';
  if (g === 'hour') return `${day(v)} ${v.slice(11, 13)}:00`;
  if (g === 'month') return monthName(v);
  return day(v);
}

function drawChart(el, report, q) {
  const [name, unit] = METRICS[q.metric];
  const keyOf = (r) => q.groupBy.map((d) => dim(r[d])).join(' · ') || 'All';
  if (q.granularity) {
    const buckets = [...new Set(report.rows.map((r) => r.bucket))].sort();
    const totals = new Map();
    report.rows.forEach((r) => totals.set(keyOf(r), (totals.get(keyOf(r)) || 0) + metricOf(r, q.metric)));
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k]) => k);
    const series = new Map([...top, ...(totals.size > top.length ? ['Other'] : [])].map((k) => [k, new Map()]));
    for (const r of report.rows) {
      const k = top.includes(keyOf(r)) ? keyOf(r) : 'Other';
      const m = series.get(k);
      m.set(r.bucket, (m.get(r.bucket) || 0) + metricOf(r, q.metric));
    }
    timeChart(el, {
      categories: buckets.map((b) => bucketText(b, q.granularity)), unit,
      series: [...series.entries()].map(([k, m]) => ({ name: k, stack: 'all', data: buckets.map((b) => round(m.get(b) || 0, unit)) })),
      description: `${name} per ${q.granularity}${q.groupBy.length ? ` by ${q.groupBy.map(label).join(' and ')}` : ''}, ${buckets.length} buckets.`,
    });
  } else {
    const rows = [...report.rows].sort((a, b) => metricOf(b, q.metric) - metricOf(a, q.metric)).slice(0, 15);
    rankChart(el, {
      labels: rows.map(keyOf), values: rows.map((r) => round(metricOf(r, q.metric), unit)), unit,
      description: `${name} by ${q.groupBy.map(label).join(' and ') || 'total'}: ${rows.slice(0, 5).map((r) => keyOf(r)).join(', ')} lead.`,
    });
  }
}

function round(v, unit) {
  return unit === 'usd' ? Math.round(v * 10000) / 10000 : v;
}

function controls(q, ctx) {
  const t = today();
  const group1 = select([['', '— nothing —'], ...DIMENSIONS.map((d) => [d, label(d)])], { value: q.groupBy[0] || '', name: 'group_by' });
  const group2 = select([['', '— nothing —'], ...DIMENSIONS.map((d) => [d, label(d)])], { value: q.groupBy[1] || '', name: 'then_by' });
  const tag = h('input', { type: 'text', name: 'tag', placeholder: 'e.g. env', value: (q.groupBy.find((g) => g.startsWith('tag:')) || '').slice(4), size: 10 });
  const gran = select([['', 'No time buckets'], ['hour', 'Hour'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']], { value: q.granularity, name: 'granularity' });
  const from = h('input', { type: 'date', name: 'from', value: q.from.slice(0, 10), required: true });
  const to = h('input', { type: 'date', name: 'to', value: addDays(q.to.slice(0, 10), -1), required: true });
  const metric = select(Object.entries(METRICS).map(([k, [n]]) => [k, n]), { value: q.metric, name: 'metric' });
  const filterList = h('div', { class: 'controls', id: 'ex-filters' });
  const addFilter = (k = 'team', v = '') => {
    const dimSel = select(DIMENSIONS.map((d) => [d, label(d)]), { value: DIMENSIONS.includes(k) ? k : 'team', 'aria-label': 'Filter dimension' });
    const custom = k.startsWith('tag:') ? k : null;
    if (custom) dimSel.append(h('option', { value: custom, selected: true }, custom));
    const valueInput = h('input', { type: 'text', value: v, 'aria-label': 'Filter value', placeholder: 'value', size: 14 });
    const row = h('div', { class: 'filter' }, dimSel, ' = ', valueInput,
      h('button', { type: 'button', class: 'link', 'aria-label': 'Remove this filter', on: { click: () => row.remove() } }, 'remove'));
    row.read = () => [dimSel.value, valueInput.value.trim()];
    filterList.append(row);
    return valueInput;
  };
  q.filters.forEach(([k, v]) => addFilter(k, v));

  const apply = (overrides = {}) => {
    const groupBy = [group1.value, group2.value].filter(Boolean);
    if (tag.value.trim()) groupBy.push(`tag:${tag.value.trim()}`);
    const params = { group_by: groupBy.join(','), granularity: gran.value, from: from.value, to: addDays(to.value, 1), metric: metric.value, ...overrides };
    for (const row of filterList.querySelectorAll('.filter')) {
      const [k, v] = row.read();
      if (v) params[k] = v;
    }
    ctx.navigate(ctx.link('explorer', params));
  };
  const quick = (labelText, f, tt) => h('button', { type: 'button', on: { click: () => apply({ from: f, to: tt }) } }, labelText);

  return h('form', { class: 'panel', id: 'ex-form', 'aria-label': 'Explorer query', on: { submit: (ev) => { ev.preventDefault(); apply(); } } },
    h('div', { class: 'controls' },
      field('Group by', group1), field('Then by', group2), field('Or by tag', tag, 'a tag key, e.g. env'),
      field('Time buckets', gran), field('From', from), field('To (inclusive)', to), field('Chart', metric),
      h('button', { type: 'submit', class: 'primary' }, 'Apply')),
    h('div', { class: 'controls', style: { marginTop: '.6rem' } },
      h('span', { class: 'sub' }, 'Quick ranges:'),
      quick('This month', monthStart(t), addDays(t, 1)),
      quick('Last month', addMonths(t, -1), monthStart(t)),
      quick('Last 7 days', addDays(t, -6), addDays(t, 1)),
      quick('Last 30 days', addDays(t, -29), addDays(t, 1)),
      quick('Last 90 days', addDays(t, -89), addDays(t, 1))),
    h('fieldset', { style: { marginTop: '.6rem' } }, h('legend', {}, 'Filters (all must match)'), filterList,
      h('button', { type: 'button', on: { click: () => addFilter().focus() } }, 'Add a filter')));
}
