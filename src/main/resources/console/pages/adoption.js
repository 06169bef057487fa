// Adoption ("AI fitness"): how many people use AI and how deeply, what they built and share, which
// advanced features they use, beside what it costs per active user. One call: /admin/v1/reports/adoption.
import { get } from '../lib/api.js';
import { timeChart } from '../lib/charts.js';
import { emptyState, field, fill, h, kpi, loading, panel, problem, table } from '../lib/dom.js';
import { addDays, day, int, monthStart, today, usd } from '../lib/format.js';

const FEATURES = [['streaming', 'Streaming'], ['prompt_caching', 'Prompt caching'], ['response_cache', 'Response cache'],
  ['reasoning', 'Reasoning'], ['templates', 'Templates']];

const dec = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }));

export default async function render(root, ctx) {
  const t = today();
  const fromValue = ctx.params.get('from') || monthStart(t);
  const toValue = ctx.params.get('to') ? addDays(ctx.params.get('to'), -1) : t;
  const team = ctx.params.get('team') || (ctx.me.teams.length ? ctx.me.teams[0] : '');
  const from = h('input', { type: 'date', name: 'from', value: fromValue });
  const to = h('input', { type: 'date', name: 'to', value: toValue });
  const teamInput = h('input', { type: 'text', name: 'team', value: team, placeholder: 'every team' });
  root.append(h('form', { class: 'panel controls', 'aria-label': 'Period and team', on: { submit: (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(ev.target).entries());
    data.to = addDays(data.to, 1);
    if (!data.team) delete data.team;
    ctx.navigate(ctx.link(ctx.page.id, data));
  } } }, field('From', from), field('To (inclusive)', to), field('Team', teamInput), h('button', { type: 'submit', class: 'primary' }, 'Show')));

  const kpis = h('div', { class: 'kpis', id: 'ad-kpis' }, loading());
  const chart = h('div', { class: 'chart small', id: 'ad-daily' });
  const teams = h('div', { id: 'ad-teams' }, loading());
  const people = h('div', { id: 'ad-people' }, loading());
  root.append(kpis,
    panel({ title: 'Active people per day', sub: 'People with at least one successful request that day', id: 'daily-active' }, chart),
    panel({ title: 'Teams', sub: 'Depth, what was built and shared, advanced features, and spend per active user', id: 'teams' }, teams),
    panel({ title: 'People', sub: 'Most active first', id: 'people' }, people));

  const query = { from: fromValue, to: addDays(toValue, 1) };
  if (team) query.team = team;
  let report;
  try {
    report = await get('/admin/v1/reports/adoption', query);
  } catch (e) {
    if (!ctx.alive()) return;
    fill(kpis, problem(e, 'Adoption could not be read'));
    [teams, people].forEach((b) => fill(b));
    return;
  }
  if (!ctx.alive()) return;
  const tt = report.total;
  fill(kpis,
    kpi('Active people', int(tt.active_users), { id: 'ad-active', value: tt.active_users }),
    kpi('Daily active (mean)', dec(tt.daily_active_avg), { id: 'ad-dau', value: tt.daily_active_avg }),
    kpi('Weekly / monthly active', `${int(tt.weekly_active)} / ${int(tt.monthly_active)}`, { id: 'ad-wau-mau', note: 'in the 7 and 30 days to the end of the period' }),
    kpi('Requests per active person', dec(tt.requests_per_active_user), { id: 'ad-depth', value: tt.requests_per_active_user }),
    kpi('Spend per active person', tt.cost_per_active_user_usd === null ? '—' : usd(tt.cost_per_active_user_usd),
      { id: 'ad-cost-per-user', value: tt.cost_per_active_user_usd }));
  timeChart(chart, { categories: report.daily_active.map((d) => day(d.day)), unit: 'people',
    series: [{ name: 'Active people', data: report.daily_active.map((d) => d.users) }],
    description: `Active people per day from ${day(fromValue)} to ${day(toValue)}.` });

  const featureColumns = FEATURES.map(([k, label]) => ({ key: k, label, num: true, value: (r) => r.features[k].users,
    format: (v) => int(v) }));
  if (!report.teams.length) {
    fill(teams, emptyState('Nobody used AI in this period', 'Pick another period, or check the Explorer for traffic.'));
  } else {
    fill(teams, table({
      id: 'adoption-teams',
      columns: [
        { key: 'team', label: 'Team' },
        { key: 'active_users', label: 'Active people', num: true, format: int },
        { key: 'requests_per_active_user', label: 'Requests / person', num: true, format: dec },
        { key: 'mean_prompt_tokens', label: 'Prompt tokens / request', num: true, format: dec },
        { key: 'workflows_built', label: 'Workflows built', num: true, format: int },
        { key: 'workflows_shared', label: 'Shared', num: true, format: int },
        ...featureColumns,
        { key: 'cost_usd', label: 'Spend', num: true, format: usd },
        { key: 'cost_per_active_user_usd', label: 'Spend / person', num: true, format: (v) => (v === null ? '—' : usd(v)) },
      ],
      rows: report.teams,
      initialSort: { key: 'active_users', dir: 'desc' },
    }), h('p', { class: 'sub' }, `Feature columns count people. Not recorded by the gateway: ${report.not_recorded.join(', ')}.`));
  }
  if (!report.people.length) {
    fill(people, emptyState('No named person', 'Requests name their user through the key (user:), X-Tollgate-User or the OpenAI body field user.'));
  } else {
    fill(people, table({
      id: 'adoption-people',
      columns: [
        { key: 'user', label: 'Person' },
        { key: 'teams', label: 'Teams', value: (r) => r.teams.join(', ') },
        { key: 'active_days', label: 'Active days', num: true, format: int },
        { key: 'active_requests', label: 'Requests', num: true, format: int },
        { key: 'workflows_built', label: 'Workflows built', num: true, format: int },
        { key: 'workflows_shared', label: 'Shared', num: true, format: int },
        ...FEATURES.map(([k, label]) => ({ key: k, label, num: true, value: (r) => r.features[k].requests, format: (v) => int(v) })),
        { key: 'cost_usd', label: 'Spend', num: true, format: usd },
      ],
      rows: report.people,
      initialSort: { key: 'active_requests', dir: 'desc' },
    }));
  }
}
