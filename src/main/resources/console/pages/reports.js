// Chargeback, outcomes & ROI and the audit log: pages over report routes. Each section shows its
// route's plain facts, its totals as headline numbers and every list in it as a sortable table with
// CSV, so a field the route adds later shows up without a console change.
import { get, has, raw } from '../lib/api.js';
import { download, emptyState, field, fill, h, kpi, loading, notice, panel, problem, table, toCsv } from '../lib/dom.js';
import { addDays, addMonths, dateTime, int, monthName, monthStart, today, usd } from '../lib/format.js';

const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'actor_role', 'method', 'route', 'resource_type', 'resource_id', 'change'];

const REPORTS = {
  chargeback: {
    query: 'month',
    sections: [{
      route: '/admin/v1/reports/chargeback', title: 'Statement',
      sub: 'What each team and cost center owes for the month; shared agents split by use',
      csv: { query: { format: 'csv' }, name: (q) => `tollgate-chargeback-${q.month}.csv` },
      empty: 'No spend to charge back for this month. Pick another month, or check the Explorer for traffic.',
    }],
  },
  outcomes: {
    query: 'range',
    sections: [
      { route: '/admin/v1/reports/roi', title: 'Cost per outcome, by workflow', sub: 'AI spend of each workflow against the outcomes recorded for it',
        empty: 'No workflow has both spend and outcomes in this range yet.' },
      { route: '/admin/v1/outcomes', title: 'Outcomes recorded', sub: 'Business results posted to POST /admin/v1/outcomes',
        empty: 'No outcomes recorded in this range. Post them (e.g. {"workflow":"ticket-triage","type":"ticket_resolved","count":1}) to see cost per outcome.' },
      { route: '/admin/v1/workflows', title: 'Workflows', sub: 'The use-case registry: owner, purpose, KPI and stage', plain: true,
        empty: 'No workflow registered yet. POST /admin/v1/workflows names an owner, a purpose and a KPI for each use case.' },
    ],
  },
  audit: {
    query: 'range',
    verify: '/admin/v1/audit/verify',
    sections: [{ route: '/admin/v1/audit', title: 'Changes', sub: 'Every change made through the admin API or the config file, oldest first',
      columns: AUDIT_COLUMNS, empty: 'No change recorded in this range.' }],
  },
};

export default async function render(root, ctx) {
  const spec = REPORTS[ctx.page.id];
  const t = today();
  const query = {};
  const controls = [];
  if (spec.query === 'month') {
    const month = h('input', { type: 'month', name: 'month', value: ctx.params.get('month') || t.slice(0, 7), max: t.slice(0, 7) });
    query.month = month.value;
    controls.push(field('Month', month), h('button', { type: 'submit', class: 'primary' }, 'Show'),
      h('button', { type: 'button', on: { click: () => ctx.navigate(ctx.link(ctx.page.id, { month: addMonths(t, -1).slice(0, 7) })) } }, 'Last month'));
  } else if (spec.query === 'range') {
    const from = h('input', { type: 'date', name: 'from', value: ctx.params.get('from') || monthStart(t) });
    const to = h('input', { type: 'date', name: 'to', value: ctx.params.get('to') ? addDays(ctx.params.get('to'), -1) : t });
    query.from = from.value;
    query.to = addDays(to.value, 1);
    controls.push(field('From', from), field('To (inclusive)', to), h('button', { type: 'submit', class: 'primary' }, 'Show'));
  }
  root.append(h('form', { class: 'panel controls', 'aria-label': 'Period', on: { submit: (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(ev.target).entries());
    if (data.to) data.to = addDays(data.to, 1);
    ctx.navigate(ctx.link(ctx.page.id, data));
  } } }, controls));
  if (spec.verify && has('GET', spec.verify)) root.append(verifyPanel(spec.verify));

  for (const section of spec.sections) {
    if (!has('GET', section.route)) continue;
    const body = h('div', {}, loading());
    const actions = h('div', { class: 'actions' });
    root.append(panel({ title: section.title, sub: section.sub, id: `section-${section.route.split('/').pop()}`, actions }, body));
    let answer;
    try {
      answer = await get(section.route, section.plain ? {} : query);
    } catch (e) {
      fill(body, problem(e, `${section.title} could not be read`));
      continue;
    }
    if (!ctx.alive()) return;
    fill(body, ...show(answer, section, ctx));
    if (section.csv) {
      actions.append(h('button', { type: 'button', on: { click: async () => {
        try {
          download(section.csv.name(query), await raw(section.route, { ...query, ...section.csv.query }));
          ctx.announce('CSV downloaded');
        } catch (e) {
          body.prepend(problem(e, 'The CSV could not be made'));
        }
      } } }, 'Download statement CSV'));
    }
  }
}

function verifyPanel(route) {
  const out = h('div', { id: 'audit-verified' });
  const button = h('button', { type: 'button', id: 'audit-verify', on: { click: async () => {
    fill(out, loading('Recomputing the hash chain'));
    try {
      const v = await get(route);
      fill(out, v.ok === false
        ? notice('error', h('strong', {}, 'The audit log has been altered. '), `First bad entry: ${v.first_bad_seq} — ${v.problem || ''}`)
        : notice('ok', h('strong', {}, 'Intact. '), `${int(v.rows)} entries, every hash recomputed and matching${v.head_hash ? ` (head ${String(v.head_hash).slice(0, 12)}…)` : ''}.`));
    } catch (e) {
      fill(out, problem(e, 'Could not verify'));
    }
  } } }, 'Verify the hash chain');
  return panel({ title: 'Tamper check', sub: 'Each entry carries the hash of the one before: any edit or deletion breaks the chain', id: 'verify' }, button, out);
}

/** Facts, totals and every list of one answer. */
function show(answer, section, ctx) {
  const lists = Array.isArray(answer) ? [['data', answer]] : Object.entries(answer).filter(([, v]) => Array.isArray(v));
  const facts = Array.isArray(answer) ? [] : Object.entries(answer).filter(([, v]) => v !== null && typeof v !== 'object');
  const totals = answer.totals && typeof answer.totals === 'object' ? Object.entries(answer.totals) : [];
  const nested = Array.isArray(answer) ? [] : Object.entries(answer).filter(([k, v]) => k !== 'totals' && v && typeof v === 'object' && !Array.isArray(v));
  const out = [];
  if (facts.length) out.push(h('p', { class: 'sub' }, facts.map(([k, v]) => `${words(k)}: ${cell(k, v)}`).join(' · ')));
  if (totals.length) out.push(h('div', { class: 'kpis' }, totals.map(([k, v]) => kpi(words(k), cell(k, v), { id: `total-${k}`, value: typeof v === 'object' ? null : v }))));
  for (const [k, v] of nested) out.push(h('p', {}, h('strong', {}, `${words(k)}: `), summary(v)));
  const nonEmpty = lists.filter(([, rows]) => rows.length);
  if (!nonEmpty.length) {
    out.push(emptyState('Nothing here yet', section.empty));
    return out;
  }
  for (const [key, rows] of nonEmpty) {
    const columns = columnsOf(rows, section.columns);
    if (lists.length > 1) out.push(h('h3', { style: { marginTop: '1rem' } }, words(key)));
    out.push(table({ id: `table-${key}`, caption: `${rows.length} rows`, columns, rows }));
    out.push(h('button', { type: 'button', on: { click: () => {
      download(`tollgate-${ctx.page.id}-${key}.csv`, toCsv(columns.map((c) => ({ label: c.key, value: (r) => plain(c, r) })), rows));
    } } }, `Download ${words(key).toLowerCase()} as CSV`));
  }
  return out;
}

function columnsOf(rows, fixed) {
  const keys = fixed ? [...fixed] : [];
  if (!fixed) rows.slice(0, 50).forEach((r) => Object.keys(r).forEach((k) => keys.includes(k) || keys.push(k)));
  return keys.slice(0, 14).map((k) => ({
    key: k,
    label: words(k),
    num: rows.some((r) => typeof r[k] === 'number') || isMoney(k),
    value: (r) => (k === 'change' ? change(r) : isMoney(k) && r[k] !== null && r[k] !== undefined && typeof r[k] !== 'object' ? Number(r[k]) : r[k]),
    format: (v) => (k === 'change' ? h('span', { class: 'mono', title: v || '' }, v ? (v.length > 140 ? `${v.slice(0, 140)}…` : v) : '—') : cell(k, v)),
  }));
}

/** What an audit entry changed: the new state, or the removed one. */
function change(r) {
  const v = r.after ?? r.before;
  return v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
}

function plain(c, r) {
  const v = c.value(r);
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
}

const isMoney = (k) => /(_usd$|^usd$|^cost$|amount|spend)/.test(k);
const isTime = (k, v) => typeof v === 'string' && /(_at$|^at$|time|^from$|^to$|^start$|^end$)/.test(k) && /^\d{4}-\d{2}-\d{2}T/.test(v);

function cell(k, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) {
    const items = v.filter((x) => x !== null && x !== undefined);
    return items.length ? items.map((x) => (typeof x === 'object' ? summary(x) : String(x))).join('; ') : '—';
  }
  if (typeof v === 'object') return summary(v);
  if (isMoney(k) && !Number.isNaN(Number(v))) return usd(v);
  if (isTime(k, v)) return dateTime(v);
  if (k === 'month' && /^\d{4}-\d{2}$/.test(v)) return monthName(v);
  if (typeof v === 'number') return Number.isInteger(v) ? int(v) : String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function summary(o) {
  return Object.entries(o).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${words(k).toLowerCase()} ${cell(k, v)}`).join(', ');
}

function words(k) {
  const s = k.replace(/_usd$/, ' (USD)').replace(/_pct$/, ' (%)').replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
