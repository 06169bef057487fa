// Budgets & headroom: every budget and subject with used, reserved (held by requests in flight) and
// limit, the projected end-of-period use and exhaustion date; a form to make a budget.
import { del, get, has, hasRole, post } from '../lib/api.js';
import { emptyState, field, fill, h, loading, notice, panel, problem, select, usageBar, badge } from '../lib/dom.js';
import { amount, dateTime, pct } from '../lib/format.js';

const SCOPES = ['team', 'project', 'workflow', 'agent', 'user', 'key', 'tag', 'conversation', 'org'];
const WINDOWS = [['month', 'Calendar month'], ['day', 'Day'], ['hour', 'Hour'], ['minute', 'Rolling minute (rate limit)'],
  ['request', 'One request'], ['conversation', 'One conversation'], ['custom', 'Custom period']];
const UNITS = [['usd', 'US dollars'], ['tokens', 'Tokens'], ['input_tokens', 'Input tokens'], ['output_tokens', 'Output tokens'], ['requests', 'Requests']];

export default async function render(root, ctx) {
  const list = h('div', { id: 'budget-list' }, loading('Reading budgets'));
  const filter = h('input', { type: 'search', placeholder: 'team:support, month…', 'aria-controls': 'budget-list' });
  root.append(
    panel({ title: 'Headroom', sub: 'Per budget and subject: used, held by requests in flight (hatched), limit. Tightest first.', id: 'headroom',
      actions: field('Filter', filter) }, list),
    createForm(ctx));

  let status;
  let defs = [];
  try {
    [status, defs] = await Promise.all([get('/admin/v1/budgets/status'),
      has('GET', '/admin/v1/budgets') ? get('/admin/v1/budgets').then((r) => r.data) : []]);
  } catch (e) {
    fill(list, problem(e, 'Budgets could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  const byId = new Map(defs.map((d) => [d.id, d]));
  const rows = [...status.data].sort((a, b) => b.utilisation - a.utilisation);
  if (!rows.length) {
    fill(list, emptyState('No budgets yet',
      'A budget caps spend, tokens or requests for a scope (the org, a team, a workflow, each user…) over a window, and warns before it bites.',
      'Make the first one with the form below — e.g. team support, calendar month, 8000 US dollars, warn at 0.5, 0.8 — or write budgets: in the config file.',
      'Budgets for "each" subject (user:*) show here once that subject has used something.'));
    return;
  }
  const render = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = rows.filter((r) => !needle || `${r.subject} ${r.scope} ${r.window} ${r.unit} ${r.on_exceed}`.toLowerCase().includes(needle));
    fill(list, shown.length ? shown.map((r) => row(r, byId.get(r.budget_id), ctx)) : h('p', {}, 'No budget matches the filter.'));
  };
  filter.addEventListener('input', render);
  render();
}

function row(r, def, ctx) {
  const words = `${r.subject}, ${r.window} ${r.unit}: ${amount(r.used, r.unit)} used and ${amount(r.reserved, r.unit)} reserved of ${amount(r.limit, r.unit)}`;
  const canDelete = def && def.source === 'api' && has('DELETE', '/admin/v1/budgets/:id') && hasRole('admin', 'finance');
  return h('div', { class: 'budget', dataset: { budget: r.budget_id, subject: r.subject } },
    h('div', {},
      h('strong', {}, r.subject), ' ',
      r.hard ? badge('hard cap', 'hard') : badge(r.on_exceed),
      h('div', { class: 'sub' }, `${r.window} · ${r.unit.replace('_', ' ')}${r.scope !== r.subject ? ` · scope ${r.scope}` : ''}`),
      def && def.note ? h('div', { class: 'sub' }, def.note) : null),
    h('div', {},
      usageBar(Number(r.used), Number(r.reserved), Number(r.limit), words),
      h('div', { class: 'figures' },
        `${amount(r.used, r.unit)} used`, Number(r.reserved) ? ` + ${amount(r.reserved, r.unit)} reserved` : '',
        ` of ${amount(r.limit, r.unit)} (${pct(r.utilisation)}) · ${amount(r.remaining, r.unit)} left`)),
    h('div', { class: 'figures' },
      r.period_end ? h('div', {}, `Resets ${dateTime(r.period_end)}`) : null,
      r.projected_use !== null && r.projected_use !== undefined ? h('div', {}, `Projected: ${amount(r.projected_use, r.unit)} by period end`) : null,
      h('div', { class: r.projected_exhaustion ? 'notice warn' : null },
        r.projected_exhaustion ? `Runs out ${dateTime(r.projected_exhaustion)} at this pace` : 'Not projected to run out this period'),
      r.review_date ? h('div', {}, `Review by ${r.review_date}`) : null,
      canDelete ? h('button', { type: 'button', class: 'danger', on: { click: async (ev) => {
        if (!window.confirm(`Delete the budget ${r.budget_id}? Requests are no longer held to it.`)) return;
        ev.target.disabled = true;
        try {
          await del(`/admin/v1/budgets/${encodeURIComponent(r.budget_id)}`);
          ctx.announce('Budget deleted');
          ctx.navigate(ctx.link('budgets'));
        } catch (e) {
          ev.target.replaceWith(problem(e, 'Could not delete'));
        }
      } } }, 'Delete') : null));
}

function createForm(ctx) {
  if (!has('POST', '/admin/v1/budgets') || !hasRole('admin', 'finance')) return null;
  const kind = select(SCOPES.map((s) => [s, s]), { name: 'scope_kind' });
  const value = h('input', { type: 'text', name: 'scope_value', placeholder: 'support', required: true });
  const windowSel = select(WINDOWS, { name: 'window' });
  const unit = select(UNITS, { name: 'unit' });
  const limit = h('input', { type: 'number', name: 'limit', min: '0', step: 'any', required: true, placeholder: '8000' });
  const warn = h('input', { type: 'text', name: 'warn_at', value: '0.5, 0.8', placeholder: '0.5, 0.8' });
  const action = select([['block', 'Block (hard cap)'], ['notify', 'Notify only'], ['downgrade', 'Downgrade to a cheaper model'],
    ['require_approval', 'Require approval']], { name: 'on_exceed' });
  const start = h('input', { type: 'datetime-local', name: 'start' });
  const end = h('input', { type: 'datetime-local', name: 'end' });
  const custom = h('div', { class: 'controls', hidden: true }, field('Start (UTC)', start), field('End (UTC)', end));
  const note = h('input', { type: 'text', name: 'note', placeholder: 'why this cap' });
  const status = h('div', { id: 'budget-form-status' });
  kind.addEventListener('change', () => {
    value.disabled = kind.value === 'org';
    value.required = kind.value !== 'org';
    value.placeholder = kind.value === 'tag' ? 'customer=acme or customer=*' : kind.value === 'user' ? 'ana, or * for each user' : '';
  });
  windowSel.addEventListener('change', () => { custom.hidden = windowSel.value !== 'custom'; });
  const form = h('form', { id: 'budget-form', on: { submit: async (ev) => {
    ev.preventDefault();
    const body = {
      scope: kind.value === 'org' ? 'org' : `${kind.value}:${value.value.trim()}`,
      window: windowSel.value,
      [unit.value]: Number(limit.value),
      on_exceed: action.value,
    };
    const thresholds = warn.value.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (thresholds.length) body.warn_at = thresholds;
    if (note.value.trim()) body.note = note.value.trim();
    if (windowSel.value === 'custom') {
      body.start = `${start.value}:00Z`;
      body.end = `${end.value}:00Z`;
    }
    try {
      const made = await post('/admin/v1/budgets', body);
      fill(status, notice('ok', `Budget ${made.id} created: ${made.scope}, ${made.window}, ${amount(made.limit, made.unit)}.`));
      ctx.announce('Budget created');
      setTimeout(() => ctx.navigate(ctx.link('budgets')), 900);
    } catch (e) {
      fill(status, problem(e, 'The budget was not created'));
    }
  } } },
  h('div', { class: 'controls' },
    field('Applies to', kind), field('Which one', value, 'a name, or * for each one separately'),
    field('Window', windowSel), field('Counts', unit), field('Limit', limit),
    field('Warn at', warn, 'fractions of the limit, e.g. 0.5, 0.8'), field('When used up', action)),
  custom,
  h('div', { class: 'controls', style: { marginTop: '.6rem' } }, field('Note', note, null, 'wide'),
    h('button', { type: 'submit', class: 'primary' }, 'Create budget')),
  status);
  return panel({ title: 'Create a budget', sub: 'Takes effect at once, counting what its scope already used this period', id: 'create-budget' }, form);
}
