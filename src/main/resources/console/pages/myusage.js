// My usage: one person's spend this month, what chat and agents cost them, and the cheaper models
// their workload classes allow (from the classes' allowed models and the price catalog).
import { get, has, usage } from '../lib/api.js';
import { shareChart, timeChart } from '../lib/charts.js';
import { emptyState, field, fill, h, kpi, loading, panel, problem, select, table } from '../lib/dom.js';
import { addDays, day, daysBetween, dim, int, monthName, monthStart, short, today, usd } from '../lib/format.js';

export default async function render(root, ctx) {
  const t = today();
  const ms = monthStart(t);
  const tomorrow = addDays(t, 1);
  const me = ctx.me;
  const ownOnly = me.known && !me.roles.some((r) => r !== 'member');
  let user = ownOnly ? me.user : ctx.params.get('user') || me.user;

  if (ownOnly && !user) {
    root.append(emptyState('Your token names no user', 'Usage is recorded per user from the key or the X-Tollgate-User header. Ask an admin to add your user name to your admin token.'));
    return;
  }
  if (!ownOnly) {
    const picker = h('div', { id: 'user-picker' }, loading('Finding users'));
    root.append(panel({ title: 'Whose usage', sub: `Everyone who used AI this month, biggest spenders first`, id: 'pick' }, picker));
    try {
      const users = (await usage({ group_by: 'user' })).rows.filter((r) => r.user).sort((a, b) => b.cost_usd - a.cost_usd);
      if (!users.length) {
        fill(picker, emptyState('No user recorded this month', 'Calls name their user through the key (user:), the X-Tollgate-User header or the OpenAI body field user. Once they do, pick one here.'));
        return;
      }
      if (!user) user = users[0].user;
      const sel = select(users.map((r) => [r.user, `${r.user} — ${usd(r.cost_usd)}`]), { value: user, name: 'user' });
      sel.addEventListener('change', () => ctx.navigate(ctx.link('my-usage', { user: sel.value })));
      fill(picker, field('User', sel));
    } catch (e) {
      fill(picker, problem(e, 'Users could not be read'));
      return;
    }
  }

  const kpis = h('div', { class: 'kpis', id: 'my-kpis' }, loading());
  const trend = h('div', { class: 'chart small', id: 'my-trend' });
  const split = h('div', { id: 'my-split' }, loading());
  const cheaper = h('div', { id: 'my-cheaper' }, loading());
  const counterfactual = h('div', { id: 'my-counterfactual' }, loading());
  root.append(h('h2', {}, `${user}, ${monthName(t)}`), kpis,
    h('div', { class: 'grid' },
      panel({ title: 'Chat vs. agents', sub: 'Month to date, US dollars: calls made by an agent, and the rest by channel', id: 'chat-agents' }, split),
      panel({ title: 'Day by day', sub: 'Last 30 days, US dollars per day', id: 'my-days' }, trend)),
    panel({ title: 'On each class\'s cheapest allowed model', sub: 'This month\'s calls, each priced on the cheapest model its workload class allows — exact, from the ledger', id: 'counterfactual' }, counterfactual),
    panel({ title: 'Cheaper options your classes allow', sub: 'What this month\'s calls would have cost on the other models of the same class, at catalog prices', id: 'cheaper' }, cheaper));

  const [totals, byChannel, daily, byModel, classes, prices, alternative] = await Promise.allSettled([
    usage({ user }),
    usage({ user, group_by: 'agent,channel' }),
    usage({ user, granularity: 'day', from: addDays(t, -29), to: tomorrow }),
    usage({ user, group_by: 'workload_class,model' }),
    has('GET', '/admin/v1/workload-classes') ? get('/admin/v1/workload-classes') : Promise.resolve({ data: [] }),
    has('GET', '/admin/v1/prices') ? get('/admin/v1/prices') : Promise.resolve({ data: [] }),
    has('GET', '/admin/v1/reports/counterfactual')
      ? get('/admin/v1/reports/counterfactual', { user, from: ms, to: tomorrow, group_by: 'workload_class,model' })
      : Promise.reject(new Error('This build has no counterfactual report.')),
  ]);
  if (!ctx.alive()) return;
  if (totals.status === 'rejected') {
    fill(kpis, problem(totals.reason, 'This usage could not be read'));
    [split, cheaper, counterfactual].forEach((b) => fill(b));
    return;
  }
  const tt = totals.value.totals;
  fill(kpis,
    kpi('Spend, month to date', usd(tt.cost_usd), { id: 'my-spend', value: tt.cost_usd }),
    kpi('Requests', int(tt.requests), { id: 'my-requests', value: tt.requests }),
    kpi('Tokens in / out', `${short(tt.input_tokens)} / ${short(tt.output_tokens)}`));
  if (Number(tt.requests) === 0) {
    fill(split, emptyState('Nothing this month', `No request for ${user} since ${day(ms)}.`));
    fill(cheaper);
  }

  if (byChannel.status === 'fulfilled' && Number(tt.requests) > 0) {
    const groups = new Map();
    for (const r of byChannel.value.rows) {
      const name = r.agent ? `Agents (${r.agent})` : `Chat & apps: ${dim(r.channel)}`;
      const g = groups.get(name) || { name, cost: 0, requests: 0 };
      g.cost += Number(r.cost_usd);
      g.requests += Number(r.requests);
      groups.set(name, g);
    }
    const rows = [...groups.values()].sort((a, b) => b.cost - a.cost);
    const agents = rows.filter((r) => r.name.startsWith('Agents')).reduce((s, r) => s + r.cost, 0);
    const chart = h('div', { class: 'chart small' });
    fill(split, chart, table({
      id: 'split-table',
      columns: [{ key: 'name', label: 'Where' }, { key: 'requests', label: 'Requests', num: true, format: int },
        { key: 'cost', label: 'Spend', num: true, format: usd }],
      rows,
    }), h('p', { class: 'sub' }, `Agents: ${usd(agents)} · everything else: ${usd(Number(tt.cost_usd) - agents)}`));
    shareChart(chart, { items: rows.map((r) => ({ name: r.name, value: Math.round(r.cost * 100) / 100 })), unit: 'usd',
      description: `Spend split: ${rows.map((r) => `${r.name} ${usd(r.cost)}`).join(', ')}.` });
  } else if (byChannel.status === 'rejected') {
    fill(split, problem(byChannel.reason, 'The split could not be read'));
  }

  if (daily.status === 'fulfilled') {
    const byDay = new Map(daily.value.rows.map((r) => [r.bucket.slice(0, 10), Number(r.cost_usd)]));
    const days = daysBetween(addDays(t, -29), tomorrow);
    timeChart(trend, { categories: days.map(day), unit: 'usd', series: [{ name: 'Spend', data: days.map((d) => Math.round((byDay.get(d) || 0) * 100) / 100) }],
      description: `${user}'s daily spend over the last 30 days.` });
  }

  if (alternative.status === 'fulfilled') fill(counterfactual, counterfactualTable(alternative.value));
  else fill(counterfactual, emptyState('Not available', alternative.reason.message));

  if (Number(tt.requests) > 0 && byModel.status === 'fulfilled' && classes.status === 'fulfilled' && prices.status === 'fulfilled') {
    fill(cheaper, cheaperOptions(byModel.value.rows, classes.value, prices.value.data, ctx));
  } else if (Number(tt.requests) > 0) {
    fill(cheaper, emptyState('Not available', 'The classes or prices could not be read with this token.'));
  }
}

/** The server's counterfactual: actual cost, cost on each class's cheapest allowed model, difference. */
function counterfactualTable(report) {
  const total = report.total;
  if (Number(total.requests) === 0) return emptyState('Nothing this month', 'No request to price on another model.');
  return h('div', {},
    h('div', { class: 'kpis' },
      kpi('Cost', usd(total.actual_usd), { id: 'cf-actual', value: total.actual_usd }),
      kpi('On the cheapest allowed models', usd(total.counterfactual_usd), { id: 'cf-counterfactual', value: total.counterfactual_usd }),
      kpi('Difference', usd(total.difference_usd), { id: 'cf-difference', value: total.difference_usd })),
    table({
      id: 'counterfactual-table',
      columns: [
        { key: 'workload_class', label: 'Class', format: (v) => v || '(none)' },
        { key: 'model', label: 'Model used', format: (v) => v || '—' },
        { key: 'requests', label: 'Requests', num: true, format: int },
        { key: 'actual_usd', label: 'Cost', num: true, format: usd },
        { key: 'cheapest', label: 'Cheapest allowed', value: (r) => Object.keys(r.cheapest_models).join(', ') || '—' },
        { key: 'counterfactual_usd', label: 'Would cost', num: true, format: usd },
        { key: 'difference_usd', label: 'Difference', num: true, format: usd },
      ],
      rows: report.data,
      initialSort: { key: 'difference_usd', dir: 'desc' },
    }),
    h('p', { class: 'sub' }, 'Calls without a class, cache hits, refusals and errors keep their cost. Prices and classes are today\'s.'));
}

/** Re-prices each (class, model) group of the month on every other model its class allows. */
function cheaperOptions(rows, policy, prices, ctx) {
  const price = new Map(prices.map((p) => [p.model, p]));
  const classes = new Map(policy.data.map((c) => [c.name, c]));
  const cost = (p, r) => (Number(r.input_tokens) - Number(r.cached_input_tokens)) * Number(p.input_per_mtok) / 1e6
    + Number(r.cached_input_tokens) * Number(p.cached_input_per_mtok || p.input_per_mtok) / 1e6
    + Number(r.output_tokens) * Number(p.output_per_mtok) / 1e6;
  const out = [];
  for (const r of rows) {
    const cls = classes.get(r.workload_class) || classes.get(policy.default);
    const allowed = cls ? cls.allowed_models : prices.map((p) => p.model);
    const actual = Number(r.cost_usd);
    for (const m of allowed) {
      const p = price.get(m);
      if (!p || m === r.model) continue;
      const would = cost(p, r);
      if (would < actual * 0.95) {
        out.push({ cls: r.workload_class ? r.workload_class : `${cls ? cls.name : 'any'} (default)`, used: r.model, requests: r.requests,
          actual, alternative: m, tier: p.tier, would, saving: actual - would });
      }
    }
  }
  if (!out.length) {
    return emptyState('Already on the cheapest options', 'For the work done this month, no model the classes allow would have cost noticeably less.');
  }
  const best = new Map();
  out.sort((a, b) => b.saving - a.saving).forEach((o) => { if (!best.has(`${o.cls}/${o.used}`)) best.set(`${o.cls}/${o.used}`, o); });
  const total = [...best.values()].reduce((s, o) => s + o.saving, 0);
  return h('div', {},
    h('p', {}, `Moving each group to its cheapest allowed model would have saved about `, h('strong', { id: 'my-saving' }, usd(total)), ' this month.'),
    table({
      id: 'cheaper-table',
      columns: [
        { key: 'cls', label: 'Class' },
        { key: 'used', label: 'Model used' },
        { key: 'requests', label: 'Requests', num: true, format: int },
        { key: 'actual', label: 'Cost', num: true, format: usd },
        { key: 'alternative', label: 'Cheaper option', format: (v, o) => `${v}${o.tier ? ` (${o.tier})` : ''}` },
        { key: 'would', label: 'Would cost', num: true, format: usd },
        { key: 'saving', label: 'Saving', num: true, format: usd },
      ],
      rows: out.slice(0, 20),
      initialSort: { key: 'saving', dir: 'desc' },
    }),
    h('p', { class: 'sub' }, 'Quality differs between models: try the cheaper one on real prompts first. ',
      h('a', { href: ctx.link('policy') }, 'See the classes and simulate a request →')));
}
