// Exceptions: the queue of requests waiting for a decision (approve / deny), the active ones and
// those expiring soon, a request form, and the review — what was spent under each exception.
import { get, has, hasRole, post, usage } from '../lib/api.js';
import { badge, emptyState, field, fill, h, loading, notice, panel, problem, select, table } from '../lib/dom.js';
import { addDays, dateTime, int, startOfDay, today, usd } from '../lib/format.js';

const SOON_MS = 3 * 24 * 3600 * 1000;

export default async function render(root, ctx) {
  const queue = h('div', { id: 'exc-queue' }, loading('Reading exceptions'));
  const active = h('div', { id: 'exc-active' }, loading());
  const review = h('div', { id: 'exc-review' }, loading());
  root.append(
    panel({ title: 'Waiting for a decision', sub: 'Approve or deny; an approved exception applies from its start until it expires', id: 'queue' }, queue),
    panel({ title: 'Active and expiring soon', sub: 'Exceptions in force now; those ending within 3 days first', id: 'active' }, active),
    has('POST', '/admin/v1/exceptions') && hasRole('admin', 'finance', 'team-lead', 'member') ? await requestForm(ctx) : null,
    panel({ title: 'Review', sub: 'Every exception with what was done under it (requests, tokens, cost from the ledger)', id: 'review' }, review));

  if (!hasRole('admin', 'finance', 'auditor')) {
    const why = emptyState('The list is for approvers', 'Your role may request exceptions (the form above) but not read the list: '
      + 'an approver sees your request, and calls that were refused go through once it is approved.');
    fill(queue, why);
    [active, review].forEach((el) => el.closest('section').remove());
    return;
  }
  let all;
  try {
    all = has('GET', '/admin/v1/exceptions/review') ? (await get('/admin/v1/exceptions/review')).data : (await get('/admin/v1/exceptions')).data;
  } catch (e) {
    [queue, active, review].forEach((el) => fill(el, problem(e, 'Exceptions could not be read')));
    return;
  }
  if (!ctx.alive()) return;
  const refresh = (message) => {
    ctx.announce(message);
    ctx.navigate(ctx.link('exceptions'));
  };

  const waiting = all.filter((e) => e.state === 'requested').sort((a, b) => a.created_at.localeCompare(b.created_at));
  fill(queue, waiting.length ? h('ul', { class: 'list' }, waiting.map((e) => queueItem(e, refresh)))
    : emptyState('Nothing waits for a decision', 'New requests appear here. Callers refused with approval_required are told how to ask; you can also file one below.'));

  const now = Date.now();
  const inForce = all.filter((e) => e.state === 'active' || e.state === 'approved')
    .sort((a, b) => Date.parse(a.expires_at) - Date.parse(b.expires_at));
  fill(active, inForce.length ? table({
    caption: `${inForce.length} approved exceptions`,
    id: 'active-table',
    columns: [
      { key: 'scope', label: 'For', format: (v, e) => h('span', {}, v, h('div', { class: 'sub' }, `team ${e.team}${e.workload_class ? ` · class ${e.workload_class}` : ''}`)) },
      { key: 'state', label: 'State', format: (v) => badge(v) },
      { key: 'unlocks', label: 'Unlocks', sort: false, value: (e) => unlocks(e) },
      { key: 'expires_at', label: 'Expires', format: (v) => h('span', { class: Date.parse(v) - now < SOON_MS ? 'notice warn' : null },
        `${dateTime(v)}${Date.parse(v) - now < SOON_MS ? ' — soon' : ''}`) },
      { key: 'cost_usd', label: 'Spent under it', num: true, format: (v, e) => (v === undefined ? '—' : `${usd(v)} · ${int(e.requests)} req`) },
      { key: 'actions', label: 'Actions', sort: false, value: () => null, format: (v, e) => (has('POST', '/admin/v1/exceptions/:id/revoke') && hasRole('admin', 'finance')
        ? h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${e.id}`, on: { click: (ev) => decide(ev.target, e, 'revoke', null, refresh) } }, 'Revoke') : '—') },
    ],
    rows: inForce,
  }) : emptyState('No exception in force', 'Approved exceptions show here until they expire.'));

  fill(review, all.length ? table({
    caption: `${all.length} exceptions, newest first`,
    id: 'review-table',
    columns: [
      { key: 'id', label: 'Id', format: (v) => h('span', { class: 'mono' }, v) },
      { key: 'scope', label: 'For' },
      { key: 'team', label: 'Team' },
      { key: 'state', label: 'State', format: (v) => badge(v) },
      { key: 'justification', label: 'Why' },
      { key: 'unlocks', label: 'Unlocks', sort: false, value: (e) => unlocks(e) },
      { key: 'requests', label: 'Requests', num: true, format: (v) => (v === undefined ? '—' : int(v)) },
      { key: 'tokens', label: 'Tokens', num: true, value: (e) => (e.input_tokens ?? 0) + (e.output_tokens ?? 0), format: int },
      { key: 'cost_usd', label: 'Cost', num: true, value: (e) => (e.cost_usd === undefined ? null : Number(e.cost_usd)), format: (v) => (v === null ? '—' : usd(v)) },
      { key: 'outcome_notes', label: 'Notes', sort: false, format: (v) => (v && v.length ? v.map((n) => (typeof n === 'string' ? n : n.note || JSON.stringify(n))).join(' · ') : '—') },
    ],
    rows: [...all].sort((a, b) => b.created_at.localeCompare(a.created_at)),
  }) : emptyState('No exceptions yet', 'An exception is a justified, approved, time-limited unlock: more budget or a model tier a class keeps closed. File the first one above.'));
}

function unlocks(e) {
  const parts = [];
  if (Number(e.extra_usd)) parts.push(`+${usd(e.extra_usd)}`);
  if (Number(e.extra_tokens)) parts.push(`+${int(e.extra_tokens)} tokens`);
  if (e.unlock_tiers?.length) parts.push(`tiers ${e.unlock_tiers.join(', ')}`);
  if (e.unlock_models?.length) parts.push(`models ${e.unlock_models.join(', ')}`);
  return parts.join(' · ') || '—';
}

function queueItem(e, refresh) {
  const note = h('input', { type: 'text', placeholder: 'optional note to the requester', 'aria-label': `Note on ${e.id}` });
  const out = h('div', {});
  return h('li', { class: 'exception', dataset: { id: e.id } },
    h('div', {}, h('strong', {}, e.scope), ` (team ${e.team}) asks for `, h('strong', {}, unlocks(e)),
      ` until ${dateTime(e.expires_at)}`),
    h('div', { class: 'sub' }, `“${e.justification}” — ${e.requester || 'someone'}, ${dateTime(e.created_at)} · `, h('span', { class: 'mono' }, e.id),
      e.workload_class ? ` · class ${e.workload_class}` : '', e.renewed_from ? ` · renews ${e.renewed_from}` : ''),
    hasRole('admin', 'finance', 'team-lead') ? h('div', { class: 'actions', style: { marginTop: '.4rem' } }, note,
      h('button', { type: 'button', class: 'approve', 'aria-label': `Approve ${e.id}`, on: { click: (ev) => decide(ev.target, e, 'approve', note.value, refresh, out) } }, 'Approve'),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Deny ${e.id}`, on: { click: (ev) => decide(ev.target, e, 'deny', note.value, refresh, out) } }, 'Deny')) : null,
    out);
}

async function decide(button, e, action, note, refresh, out) {
  if (action === 'revoke' && !window.confirm(`Revoke exception ${e.id} for ${e.scope} now?`)) return;
  button.disabled = true;
  try {
    await post(`/admin/v1/exceptions/${encodeURIComponent(e.id)}/${action}`, note ? { note } : {});
    refresh({ approve: `Exception ${e.id} approved`, deny: `Exception ${e.id} denied`, revoke: `Exception ${e.id} revoked` }[action]);
  } catch (err) {
    button.disabled = false;
    const box = problem(err, `Could not ${action}`);
    if (out) fill(out, box);
    else button.after(box);
  }
}

async function requestForm(ctx) {
  const t = today();
  const [classes, prices, teams] = await Promise.allSettled([
    get('/admin/v1/workload-classes'), get('/admin/v1/prices'), usage({ group_by: 'team', from: addDays(t, -89), to: addDays(t, 1) })]);
  const classNames = classes.status === 'fulfilled' ? classes.value.data.map((c) => c.name) : [];
  const models = prices.status === 'fulfilled' ? prices.value.data : [];
  const tiers = [...new Set(models.map((m) => m.tier).filter(Boolean))];
  const teamNames = teams.status === 'fulfilled' ? teams.value.rows.map((r) => r.team).filter(Boolean) : [];
  if (ctx.me.teams?.length) ctx.me.teams.forEach((x) => teamNames.includes(x) || teamNames.push(x));

  const kind = select([['user', 'A user'], ['team', 'A team'], ['workflow', 'A workflow'], ['agent', 'An agent'], ['key', 'A key']], { name: 'scope_kind' });
  const who = h('input', { type: 'text', name: 'scope_value', required: true, placeholder: ctx.me.user || 'ana' });
  if (ctx.me.user) who.value = ctx.me.user;
  const teamList = h('datalist', { id: 'exc-teams' }, teamNames.map((n) => h('option', { value: n })));
  const team = h('input', { type: 'text', name: 'team', list: 'exc-teams', required: true, placeholder: teamNames[0] || 'support' });
  const cls = select([['', '— any class —'], ...classNames.map((c) => [c, c])], { name: 'workload_class' });
  const tierBoxes = tiers.map((tier) => h('label', {}, h('input', { type: 'checkbox', name: 'unlock_tiers', value: tier }), ` ${tier}`));
  const modelSel = h('select', { multiple: true, name: 'unlock_models', size: Math.min(5, Math.max(2, models.length)) },
    models.map((m) => h('option', { value: m.model }, `${m.model} (${m.tier || 'no tier'})`)));
  const extraUsd = h('input', { type: 'number', name: 'extra_usd', min: '0', step: '0.01', placeholder: '200' });
  const extraTokens = h('input', { type: 'number', name: 'extra_tokens', min: '0', step: '1', placeholder: '0' });
  const why = h('textarea', { name: 'justification', required: true, placeholder: 'Board deck due Friday: needs the premium model for synthesis' });
  const until = h('input', { type: 'date', name: 'expires', required: true, value: addDays(t, 7), min: t });
  const status = h('div', { id: 'exc-form-status' });
  kind.addEventListener('change', () => { if (kind.value === 'team') team.value = who.value; });

  const form = h('form', { id: 'exception-form', on: { submit: async (ev) => {
    ev.preventDefault();
    const body = {
      scope: `${kind.value}:${who.value.trim()}`,
      team: kind.value === 'team' ? who.value.trim() : team.value.trim(),
      justification: why.value.trim(),
      expires_at: startOfDay(addDays(until.value, 1)),
      unlock_tiers: tierBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      unlock_models: [...modelSel.selectedOptions].map((o) => o.value),
    };
    if (cls.value) body.workload_class = cls.value;
    if (extraUsd.value) body.extra_usd = Number(extraUsd.value);
    if (extraTokens.value) body.extra_tokens = Number(extraTokens.value);
    try {
      const made = await post('/admin/v1/exceptions', body);
      fill(status, notice('ok', `Requested: ${made.id}. It waits for approval at the top of this page.`));
      ctx.announce(`Exception ${made.id} requested`);
      setTimeout(() => ctx.navigate(ctx.link('exceptions')), 700);
    } catch (e) {
      fill(status, problem(e, 'The request was not filed'));
    }
  } } },
  teamList,
  h('div', { class: 'controls' }, field('For', kind), field('Who or what', who, 'e.g. ana, support, ticket-triage'),
    field('Charged to team', team), field('Workload class', cls, 'the class whose closed tiers to unlock')),
  h('div', { class: 'controls', style: { marginTop: '.6rem' } },
    tiers.length ? h('fieldset', {}, h('legend', {}, 'Unlock tiers'), tierBoxes) : null,
    field('Unlock models', modelSel, 'Ctrl/Shift to choose several'),
    field('Extra budget (USD)', extraUsd), field('Extra tokens', extraTokens),
    field('Until the end of', until, 'in the org\'s time zone; at most the policy\'s maximum (30 days by default)')),
  h('div', { class: 'controls', style: { marginTop: '.6rem' } }, field('Why it is needed', why, null, 'wide'), h('button', { type: 'submit', class: 'primary' }, 'Request exception')),
  status);
  return panel({ title: 'Request an exception', sub: 'More budget or a closed model tier, for a while, with a reason', id: 'request' }, form);
}
