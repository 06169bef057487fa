// Overview: month to date against budgets, the daily trend and the month's projection, who spends
// most (teams, workflows, agents, models), budget warnings and exceptions waiting for a decision.
// Reads aggregates only (GET /admin/v1/usage with group_by / granularity), never the raw ledger.
import { get, has, hasRole, usage } from '../lib/api.js';
import { rankChart, timeChart } from '../lib/charts.js';
import { code, emptyState, fill, h, kpi, loading, panel, problem, table, usageBar } from '../lib/dom.js';
import {
  addDays, addMonths, amount, day, daysBetween, dateTime, dim, int, monthName, monthStart, pct, short, startOfDay, today, usd,
} from '../lib/format.js';

export default async function render(root, ctx) {
  const t = today();
  const ms = monthStart(t);
  const next = addMonths(t, 1);
  const trendFrom = [ms, addDays(t, -29)].sort()[0];
  const tomorrow = addDays(t, 1);

  const kpis = h('div', { class: 'kpis', id: 'kpis' }, loading('Adding up this month'));
  const trendChart = h('div', { class: 'chart', id: 'trend-chart' });
  const monthChart = h('div', { class: 'chart', id: 'month-chart' });
  const start = h('div', { id: 'getting-started' });
  const budgetsBody = h('div', {}, loading());
  const budgets = panel({ title: 'Month to date vs. budgets', sub: 'Monthly USD budgets: used, held by requests in flight, and limit', id: 'ov-budgets' }, budgetsBody);
  const trend = panel({ title: 'Daily spend', sub: `Last 30 days, US dollars per day (days in the org's time zone)`, id: 'ov-trend' },
    trendChart);
  const month = panel({ title: `${monthName(t)}: cumulative spend and projection`, sub: 'US dollars; dashed: the rest of the month as projected', id: 'ov-month' },
    monthChart);
  const tops = h('div', { class: 'grid', id: 'ov-tops' });
  const attention = h('div', { class: 'grid' });
  root.append(start, kpis, budgets, h('div', { class: 'grid' }, trend, month), h('h2', {}, `Who spends most in ${monthName(t)}`), tops, attention);

  const [totals, daily, status, forecastAnswer] = await Promise.allSettled([
    usage({}),
    usage({ granularity: 'day', from: trendFrom, to: tomorrow }),
    has('GET', '/admin/v1/budgets/status') ? get('/admin/v1/budgets/status') : Promise.resolve({ data: [] }),
    // The gateway's own forecast where it has one; otherwise the month's pace so far.
    has('GET', '/admin/v1/forecast') && hasRole('admin', 'finance') ? get('/admin/v1/forecast') : Promise.resolve(null),
  ]);
  const forecast = forecastAnswer.status === 'fulfilled' && forecastAnswer.value?.month ? forecastAnswer.value : null;
  if (!ctx.alive()) return;

  // Headline numbers.
  if (totals.status === 'rejected') {
    fill(kpis, problem(totals.reason, 'Month-to-date spend could not be read'));
  } else {
    const tt = totals.value.totals;
    const elapsed = (Date.now() - Date.parse(startOfDay(ms))) / (Date.parse(startOfDay(next)) - Date.parse(startOfDay(ms)));
    const pace = elapsed > 0.03 ? Number(tt.cost_usd) / elapsed : null;
    const projected = forecast && forecast.month.projected_usd !== undefined ? Number(forecast.month.projected_usd) : pace;
    const how = forecast
      ? `Forecast (${forecast.method?.name || 'model'}${forecast.backtest?.mape_pct !== null && forecast.backtest?.mape_pct !== undefined ? `, ±${forecast.backtest.mape_pct}% on last week` : ''})`
        + (forecast.budget?.source && forecast.budget?.message ? `. ${forecast.budget.message}` : '')
      : `At this month's pace so far (${pct(elapsed)} of the month gone)`;
    fill(kpis,
      kpi('Spend, month to date', usd(tt.cost_usd), { id: 'mtd-spend', value: tt.cost_usd, note: `${monthName(t)}, to now` }),
      kpi('Requests, month to date', int(tt.requests), { id: 'mtd-requests', value: tt.requests }),
      kpi('Tokens in / out', `${short(tt.input_tokens)} / ${short(tt.output_tokens)}`, { id: 'mtd-tokens',
        note: `${int(tt.cached_input_tokens)} input tokens served from cache` }),
      kpi('Projected for the month', projected === null ? '—' : usd(projected), { id: 'mtd-projection', value: projected,
        note: projected === null ? 'Too early in the month to project' : how }));
    if (Number(tt.requests) === 0) fill(start, gettingStarted());
  }

  // Budgets: monthly USD ones first, tightest first.
  if (status.status === 'rejected') {
    fill(budgetsBody, problem(status.reason, 'Budgets could not be read'));
  } else {
    const monthly = status.value.data.filter((b) => b.unit === 'usd' && b.window === 'month')
      .sort((a, b) => b.utilisation - a.utilisation);
    const others = status.value.data.length - monthly.length;
    if (!monthly.length) {
      fill(budgetsBody, emptyState('No monthly dollar budget yet',
        h('p', {}, 'A monthly budget caps what a team, project or workflow may spend and warns before it bites. ',
          h('a', { href: ctx.link('budgets') }, 'Create one on Budgets & headroom'), ', or write ', code('budgets:'), ' in the config file.'),
        others ? `${others} other budgets (rates, tokens, days) are on that page.` : ''));
    } else {
      fill(budgetsBody, h('div', { id: 'ov-budget-list' }, monthly.slice(0, 6).map((b) => budgetRow(b))),
        h('p', { class: 'sub' }, h('a', { href: ctx.link('budgets') }, `All ${status.value.data.length} budgets and their headroom →`)));
    }
  }

  // Trend and projection.
  if (daily.status === 'fulfilled') {
    const byDay = new Map(daily.value.rows.map((r) => [r.bucket.slice(0, 10), Number(r.cost_usd)]));
    const days = daysBetween(trendFrom, tomorrow).slice(-30);
    timeChart(trendChart, {
      categories: days.map(day), unit: 'usd',
      series: [{ name: 'Spend', data: days.map((d) => round(byDay.get(d) || 0)) }],
      description: `Daily spend for the last 30 days in US dollars; highest day ${usd(Math.max(0, ...days.map((d) => byDay.get(d) || 0)))}.`,
    });
    const monthDays = daysBetween(ms, next);
    let sum = 0;
    const actual = monthDays.map((d) => (d <= t ? round(sum += byDay.get(d) || 0) : null));
    const elapsedDays = monthDays.indexOf(t) + 1;
    const pace = elapsedDays > 0 ? sum / elapsedDays : 0;
    let projection = monthDays.map((d, i) => (d < t ? null : round(sum + pace * (i + 1 - elapsedDays))));
    if (forecast && Array.isArray(forecast.rest_of_month)) {
      const ahead = new Map(forecast.rest_of_month.map((x) => [x.date, Number(x.usd)]));
      let running = sum;
      projection = monthDays.map((d) => (d < t ? null : d === t ? round(sum) : round(running += ahead.get(d) || 0)));
    }
    const series = [{ name: 'Spent so far', type: 'line', data: actual },
      { name: forecast ? 'Forecast' : 'Projection at this pace', type: 'line', dashed: true, data: projection }];
    const orgBudget = status.status === 'fulfilled'
      ? status.value.data.find((b) => b.unit === 'usd' && b.window === 'month' && b.scope === 'org') : null;
    if (orgBudget) series.push({ name: 'Org budget', type: 'line', data: monthDays.map(() => Number(orgBudget.limit)), color: '#b3261e' });
    timeChart(monthChart, {
      categories: monthDays.map(day), unit: 'usd', series,
      description: `Cumulative spend this month: ${usd(sum)} so far, about ${usd(projection[projection.length - 1] ?? sum)} by month end.`,
    });
  } else {
    fill(trend, problem(daily.reason, 'The daily trend could not be read'));
    month.remove();
  }

  // Top spenders by dimension, each one aggregate query.
  const dims = [['team', 'Teams'], ['workflow', 'Workflows'], ['agent', 'Agents'], ['model', 'Models']];
  await Promise.all(dims.map(async ([dimension, title]) => {
    const body = h('div', {}, loading());
    tops.append(panel({ title, sub: 'Month to date, US dollars', id: `top-${dimension}` }, body));
    try {
      const report = await usage({ group_by: dimension });
      if (ctx.alive()) fill(body, topList(report, dimension, ctx));
    } catch (e) {
      fill(body, problem(e, `${title} could not be read`));
    }
  }));

  // What needs attention.
  attention.append(await warnings(ctx));
  if (hasRole('admin', 'finance', 'auditor')) attention.append(await pendingExceptions(ctx));
  if (has('GET', '/admin/v1/alerts') && hasRole('admin', 'finance', 'auditor')) attention.append(await openAlerts(ctx));
}

function round(v) {
  return Math.round(v * 100) / 100;
}

function budgetRow(b) {
  const words = `${b.subject}: ${usd(b.used)} used and ${usd(b.reserved)} reserved of ${usd(b.limit)} (${pct(b.utilisation)})`;
  return h('div', { class: 'budget' },
    h('div', {}, h('strong', {}, b.subject), h('div', { class: 'sub' }, `${b.window} · ${b.hard ? 'hard cap' : b.on_exceed}`)),
    usageBar(Number(b.used), Number(b.reserved), Number(b.limit), words),
    h('div', { class: 'figures' }, `${usd(b.used)} of ${usd(b.limit)} · ${pct(b.utilisation)}`,
      b.projected_exhaustion ? h('div', { class: 'warn-text' }, `Runs out ${dateTime(b.projected_exhaustion)} at this pace`) : null));
}

function topList(report, dimension, ctx) {
  const total = Number(report.totals.cost_usd) || 0;
  const rows = report.rows.map((r) => ({ name: r[dimension], cost: Number(r.cost_usd), requests: r.requests }))
    .sort((a, b) => b.cost - a.cost);
  if (!rows.length) return emptyState('Nothing yet', `No requests this month carried a ${dimension}.`);
  const shown = rows.slice(0, 6);
  const chart = h('div', { class: 'chart small' });
  const out = h('div', {}, chart, table({
    caption: `Top ${shown.length} of ${rows.length} by spend`,
    columns: [
      { key: 'name', label: dimension[0].toUpperCase() + dimension.slice(1), format: (v) => h('a', { href: ctx.link('explorer', v === null ? { group_by: dimension } : { group_by: 'model', [dimension]: v }) }, dim(v)) },
      { key: 'cost', label: 'Spend', num: true, format: (v) => usd(v) },
      { key: 'share', label: 'Share', num: true, value: (r) => (total ? r.cost / total : 0), format: (v) => pct(v) },
      { key: 'requests', label: 'Requests', num: true, format: int },
    ],
    rows: shown,
  }), rows.length > shown.length
    ? h('p', { class: 'sub' }, h('a', { href: ctx.link('explorer', { group_by: dimension }) }, `All ${rows.length} in the Explorer →`)) : null);
  queueMicrotask(() => rankChart(chart, {
    labels: shown.map((r) => dim(r.name)), values: shown.map((r) => round(r.cost)), unit: 'usd',
    description: `Spend by ${dimension} this month: ${shown.map((r) => `${dim(r.name)} ${usd(r.cost)}`).join(', ')}.`,
  }));
  return out;
}

async function warnings(ctx) {
  const box = panel({ title: 'Budget warnings', sub: 'Thresholds crossed (warn_at), newest first', id: 'ov-warnings' });
  if (!has('GET', '/admin/v1/budgets/notifications')) return box;
  try {
    const list = (await get('/admin/v1/budgets/notifications')).data;
    if (!list.length) {
      box.append(emptyState('No warnings', 'No budget has crossed a warning threshold lately. Add warn_at: [0.5, 0.8] to a budget to be told early.'));
    } else {
      box.append(h('ul', { class: 'list' }, list.slice(0, 8).map((n) => h('li', {},
        h('div', {}, n.message), h('div', { class: 'sub' }, `${dateTime(n.at)} · ${n.subject} · ${pct(n.threshold)} of ${amount(n.limit, n.unit)}`)))));
    }
  } catch (e) {
    box.append(problem(e, 'Warnings could not be read'));
  }
  return box;
}

async function pendingExceptions(ctx) {
  const box = panel({ title: 'Exceptions needing attention', sub: 'Waiting for a decision, or expiring within 3 days', id: 'ov-exceptions' });
  if (!has('GET', '/admin/v1/exceptions/notifications')) {
    box.append(emptyState('Not available in this build', 'This gateway has no exceptions API.'));
    return box;
  }
  try {
    const list = (await get('/admin/v1/exceptions/notifications')).data;
    if (!list.length) {
      box.append(emptyState('Nothing pending', 'No exception waits for approval and none expires soon.',
        h('p', {}, 'Someone needs more budget or a premium model for a while? ', h('a', { href: ctx.link('exceptions') }, 'Request an exception'), '.')));
    } else {
      box.append(h('ul', { class: 'list', id: 'pending-list' }, list.map((n) => h('li', {},
        h('span', { class: `badge ${n.kind === 'pending_approval' ? 'requested' : 'active'}` }, n.kind.replace(/_/g, ' ')), ' ', n.message))),
      h('p', {}, h('a', { href: ctx.link('exceptions') }, 'Decide on the Exceptions page →')));
    }
  } catch (e) {
    box.append(problem(e, 'Exceptions could not be read'));
  }
  return box;
}

async function openAlerts(ctx) {
  const box = panel({ title: 'Open alerts', id: 'ov-alerts' });
  try {
    const body = await get('/admin/v1/alerts');
    const list = (body.data || []).filter((a) => a.state === 'open');
    box.append(list.length
      ? h('ul', { class: 'list', id: 'open-alerts' }, list.slice(0, 6).map((a) => h('li', {}, h('span', { class: 'badge requested' }, a.severity || a.kind), ' ', a.message)))
      : emptyState('No open alerts', 'Nothing needs attention.'),
    h('p', {}, h('a', { href: ctx.link('alerts') }, 'All alerts →')));
  } catch (e) {
    box.append(problem(e, 'Alerts could not be read'));
  }
  return box;
}

function gettingStarted() {
  const base = `${window.location.origin}/v1`;
  return emptyState('No requests this month yet',
    'Tollgate fills these pages as requests pass through it. To get the first ones in:',
    h('ol', {},
      h('li', {}, h('a', { href: '#/keys' }, 'Create a key'), ' for a team on the Keys page (the secret is shown once).'),
      h('li', {}, 'Point any OpenAI SDK at the gateway: ', code(`OPENAI_BASE_URL=${base}`), ' and ', code('OPENAI_API_KEY=<that key>'), '.'),
      h('li', {}, h('a', { href: '#/budgets' }, 'Set a monthly budget'), ' so that nobody is surprised at month end.')));
}
