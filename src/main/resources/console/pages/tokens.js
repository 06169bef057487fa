// Admin tokens: the personal tokens people sign in with (console and admin API), each with a role
// and, for team leads, the teams they lead. A form makes one (its secret is shown once); Revoke
// ends one at once on every replica.
import { get, has, hasRole, post } from '../lib/api.js';
import { badge, code, copyableSecret, emptyState, field, fill, h, loading, notice, panel, problem, select, table } from '../lib/dom.js';
import { addDays, dateTime, startOfDay, today } from '../lib/format.js';

const ROLES = [
  ['member', 'member — their own usage'],
  ['team-lead', 'team lead — their teams'],
  ['finance', 'finance — all spend, budgets'],
  ['auditor', 'auditor — read-only, audit log'],
  ['admin', 'admin — everything'],
];

export default async function render(root, ctx) {
  const list = h('div', { id: 'token-list' }, loading('Reading admin tokens'));
  const made = h('div', { id: 'new-token' });
  const reload = () => loadList(list, ctx);
  root.append(made, has('POST', '/admin/v1/tokens') && hasRole('admin') ? createForm(ctx, made, reload) : null,
    panel({ title: 'Admin tokens', sub: 'Who may sign in to the console and the admin API, with which role', id: 'tokens' }, list));
  await reload();
}

async function loadList(list, ctx) {
  let tokens;
  try {
    tokens = (await get('/admin/v1/tokens')).data;
  } catch (e) {
    fill(list, problem(e, 'Admin tokens could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  if (!tokens.length) {
    fill(list, emptyState('No personal admin tokens yet',
      'Everyone signs in with the bootstrap admin token for now. Give each person a token of their own above: a team lead sees only their teams, a member only their own usage, and the audit log names who did what.'));
    return;
  }
  const now = Date.now();
  const state = (t) => (t.revoked_at ? 'revoked' : t.expires_at && Date.parse(t.expires_at) <= now ? 'expired' : 'active');
  fill(list, table({
    id: 'tokens-table',
    caption: `${tokens.length} admin tokens`,
    initialSort: { key: 'created_at', dir: 'desc' },
    columns: [
      { key: 'name', label: 'Name', format: (v, t) => h('span', {}, h('strong', {}, v), h('div', { class: 'sub mono' }, t.secret_prefix)) },
      { key: 'state', label: 'State', value: state, format: (v) => badge(v, v === 'active' ? 'ok' : 'revoked') },
      { key: 'role', label: 'Role' },
      { key: 'teams', label: 'Teams', sort: false, value: (t) => (t.teams?.length ? t.teams.join(', ') : null) },
      { key: 'user', label: 'User' },
      { key: 'created_by', label: 'Made by' },
      { key: 'created_at', label: 'Created', format: dateTime },
      { key: 'expires_at', label: 'Expires', format: (v) => (v ? dateTime(v) : 'never') },
      { key: 'actions', label: 'Actions', sort: false, value: () => null, format: (v, t) => {
        if (state(t) === 'revoked') return `revoked ${dateTime(t.revoked_at)}`;
        if (!has('POST', '/admin/v1/tokens/:id/revoke') || !hasRole('admin')) return '—';
        return h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${t.name}`, on: { click: async (ev) => {
          if (!window.confirm(`Revoke the admin token ${t.name}? Whoever uses it is signed out at once.`)) return;
          ev.target.disabled = true;
          try {
            await post(`/admin/v1/tokens/${encodeURIComponent(t.id)}/revoke`);
            ctx.announce(`Admin token ${t.name} revoked`);
            loadList(list, ctx);
          } catch (e) {
            ev.target.replaceWith(problem(e, 'Could not revoke'));
          }
        } } }, 'Revoke');
      } },
    ],
    rows: tokens,
  }));
}

function createForm(ctx, made, reload) {
  const name = h('input', { type: 'text', name: 'name', required: true, placeholder: 'ana-support', pattern: '[A-Za-z0-9._@\\-]+' });
  const role = select(ROLES, { name: 'role' });
  const teams = h('input', { type: 'text', name: 'teams', placeholder: 'support, sales' });
  const user = h('input', { type: 'text', name: 'user', placeholder: 'ana@example.com' });
  const expires = h('input', { type: 'date', name: 'expires', min: addDays(today(), 1) });
  const status = h('div', { id: 'token-form-status' });
  const form = h('form', { id: 'token-form', on: { submit: async (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim(), role: role.value };
    const teamList = teams.value.split(',').map((x) => x.trim()).filter(Boolean);
    if (teamList.length) body.teams = teamList;
    if (user.value.trim()) body.user = user.value.trim();
    if (expires.value) body.expires_at = startOfDay(expires.value);
    fill(status);
    try {
      const token = await post('/admin/v1/tokens', body);
      form.reset();
      showSecret(made, token, ctx);
      reload();
    } catch (e) {
      fill(status, problem(e, 'The token was not created'));
    }
  } } },
  h('div', { class: 'controls' }, field('Name', name, 'unique; letters, digits, . _ @ -'), field('Role', role),
    field('Teams', teams, 'comma-separated; required for a team lead'), field('User', user, 'their ledger user; required for a member'),
    field('Expires on', expires, 'empty: never'), h('button', { type: 'submit', class: 'primary' }, 'Create token')),
  status);
  return panel({ title: 'Create an admin token', sub: 'A personal token for one person: what they see follows its role and teams', id: 'create-token' }, form);
}

function showSecret(box, token, ctx) {
  const secret = copyableSecret(token.secret, { id: 'new-token-secret', label: `Secret of ${token.name}`, announce: ctx.announce });
  fill(box, h('section', { class: 'panel', id: 'token-secret-panel', 'aria-labelledby': 'token-secret-title' },
    h('h2', { id: 'token-secret-title' }, `Admin token ${token.name} created`),
    notice('warn', h('strong', {}, 'Copy this token now: it is shown only once. '), 'Give it to its owner; they sign in to this console with it, or send it as ',
      code('Authorization: Bearer <token>'), ' to the admin API.'),
    secret,
    h('button', { type: 'button', id: 'hide-token-secret', on: { click: () => fill(box) } }, 'I have handed it over — hide the token')));
  const input = secret.querySelector('input');
  input.focus();
  input.select();
  ctx.announce(`Admin token ${token.name} created. Copy it now; it is shown only once.`);
}
