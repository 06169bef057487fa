// Keys: the virtual keys applications use, a form to make one (its secret is shown once, with a
// copy button and a ready curl), and revocation.
import { get, has, hasRole, post, usage } from '../lib/api.js';
import { badge, code, copyableSecret, emptyState, field, fill, h, loading, notice, panel, problem, select, table } from '../lib/dom.js';
import { addDays, dateTime, startOfDay, today } from '../lib/format.js';

export default async function render(root, ctx) {
  const list = h('div', { id: 'key-list' }, loading('Reading keys'));
  const made = h('div', { id: 'new-key' });
  const reload = () => loadList(list, ctx);
  root.append(made, has('POST', '/admin/v1/keys') && hasRole('admin', 'team-lead') ? await createForm(ctx, made, reload) : null,
    panel({ title: 'Keys', sub: 'Secrets are never shown again after creation; the prefix helps recognise one', id: 'keys' }, list));
  await reload();
}

async function loadList(list, ctx) {
  let keys;
  try {
    keys = (await get('/admin/v1/keys')).data;
  } catch (e) {
    fill(list, problem(e, 'Keys could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  if (!keys.length) {
    fill(list, emptyState('No keys yet', 'A virtual key is what an application sends instead of a provider key; it says which team, project and workflow pays. Create the first one above.'));
    return;
  }
  const now = Date.now();
  const state = (k) => (k.revoked_at ? 'revoked' : k.expires_at && Date.parse(k.expires_at) <= now ? 'expired' : 'active');
  fill(list, table({
    id: 'keys-table',
    caption: `${keys.length} keys`,
    initialSort: { key: 'created_at', dir: 'desc' },
    columns: [
      { key: 'name', label: 'Name', format: (v, k) => h('span', {}, h('strong', {}, v), h('div', { class: 'sub mono' }, k.secret_prefix)) },
      { key: 'state', label: 'State', value: state, format: (v) => badge(v, v === 'active' ? 'ok' : 'revoked') },
      { key: 'team', label: 'Team' },
      { key: 'attribution', label: 'Project · workflow · agent', sort: false,
        value: (k) => [k.project, k.workflow, k.agent].filter(Boolean).join(' · ') || null },
      { key: 'workload_class', label: 'Class' },
      { key: 'models', label: 'Models', sort: false, value: (k) => (k.models?.length ? k.models.join(', ') : 'any allowed') },
      { key: 'source', label: 'From', format: (v) => (v === 'config' ? 'config file' : v) },
      { key: 'created_at', label: 'Created', format: dateTime },
      { key: 'expires_at', label: 'Expires', format: (v) => (v ? dateTime(v) : 'never') },
      { key: 'actions', label: 'Actions', sort: false, value: () => null, format: (v, k) => {
        if (state(k) === 'revoked') return `revoked ${dateTime(k.revoked_at)}`;
        if (k.source === 'config') return h('span', { class: 'sub' }, 'remove it from the config file');
        if (!has('POST', '/admin/v1/keys/:id/revoke') || !hasRole('admin', 'team-lead')) return '—';
        return h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${k.name}`, on: { click: async (ev) => {
          if (!window.confirm(`Revoke the key ${k.name}? Requests with it are refused at once.`)) return;
          ev.target.disabled = true;
          try {
            await post(`/admin/v1/keys/${encodeURIComponent(k.id)}/revoke`);
            ctx.announce(`Key ${k.name} revoked`);
            loadList(list, ctx);
          } catch (e) {
            ev.target.replaceWith(problem(e, 'Could not revoke'));
          }
        } } }, 'Revoke');
      } },
    ],
    rows: keys,
  }));
}

async function createForm(ctx, made, reload) {
  const t = today();
  const [classes, prices, teams] = await Promise.allSettled([get('/admin/v1/workload-classes'), get('/admin/v1/prices'),
    usage({ group_by: 'team', from: addDays(t, -89), to: addDays(t, 1) })]);
  const teamNames = teams.status === 'fulfilled' ? teams.value.rows.map((r) => r.team).filter(Boolean) : [];
  (ctx.me.teams || []).forEach((x) => teamNames.includes(x) || teamNames.push(x));
  const models = prices.status === 'fulfilled' ? prices.value.data.map((m) => m.model) : [];

  const name = h('input', { type: 'text', name: 'name', required: true, placeholder: 'triage-bot', pattern: '[A-Za-z0-9._\\-]+' });
  const team = h('input', { type: 'text', name: 'team', list: 'key-teams', placeholder: teamNames[0] || 'support' });
  const project = h('input', { type: 'text', name: 'project', placeholder: 'helpdesk' });
  const workflow = h('input', { type: 'text', name: 'workflow', placeholder: 'ticket-triage' });
  const agent = h('input', { type: 'text', name: 'agent', placeholder: 'triage-bot' });
  const user = h('input', { type: 'text', name: 'user', placeholder: 'who the calls are for' });
  const channel = h('input', { type: 'text', name: 'channel', placeholder: 'api, chat…' });
  const cls = select([['', '— by the classification rules —'], ...(classes.status === 'fulfilled' ? classes.value.data.map((c) => [c.name, c.name]) : [])], { name: 'workload_class' });
  const modelSel = h('select', { multiple: true, name: 'models', size: Math.min(5, Math.max(2, models.length)) }, models.map((m) => h('option', { value: m }, m)));
  const expires = h('input', { type: 'date', name: 'expires', min: addDays(t, 1) });
  const status = h('div', { id: 'key-form-status' });

  const form = h('form', { id: 'key-form', on: { submit: async (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim() };
    for (const [k, input] of Object.entries({ team, project, workflow, agent, user, channel })) if (input.value.trim()) body[k] = input.value.trim();
    if (cls.value) body.workload_class = cls.value;
    const chosen = [...modelSel.selectedOptions].map((o) => o.value);
    if (chosen.length) body.models = chosen;
    if (expires.value) body.expires_at = startOfDay(expires.value);
    fill(status);
    try {
      const key = await post('/admin/v1/keys', body);
      form.reset();
      showSecret(made, key, ctx);
      reload();
    } catch (e) {
      fill(status, problem(e, 'The key was not created'));
    }
  } } },
  h('datalist', { id: 'key-teams' }, teamNames.map((n) => h('option', { value: n }))),
  h('div', { class: 'controls' }, field('Name', name, 'letters, digits, . _ -'), field('Team (pays)', team), field('Project', project),
    field('Workflow', workflow), field('Agent', agent)),
  h('div', { class: 'controls', style: { marginTop: '.6rem' } }, field('User', user), field('Channel', channel), field('Workload class', cls),
    field('Only these models', modelSel, 'none chosen: every model its class allows'), field('Expires on', expires, 'empty: never'),
    h('button', { type: 'submit', class: 'primary' }, 'Create key')),
  status);
  return panel({ title: 'Create a key', sub: 'What the key says about its calls is how they are attributed; headers cannot move them to another team', id: 'create-key' }, form);
}

function showSecret(box, key, ctx) {
  const secret = copyableSecret(key.secret, { id: 'new-key-secret', label: `Secret of ${key.name}`, announce: ctx.announce });
  const base = `${window.location.origin}/v1`;
  const curl = `curl -s ${base}/chat/completions -H 'Authorization: Bearer ${key.secret}' -H 'Content-Type: application/json' `
    + `-d '{"model":"${key.models?.[0] || 'gpt-4o-mini'}","messages":[{"role":"user","content":"Hello"}]}'`;
  fill(box, h('section', { class: 'panel', id: 'secret-panel', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title' }, `Key ${key.name} created`),
    notice('warn', h('strong', {}, 'Copy this secret now: it is shown only once. '), 'Tollgate keeps only a hash of it; if it is lost, revoke the key and make a new one.'),
    secret,
    h('p', {}, 'Use it like an OpenAI key: ', code(`OPENAI_BASE_URL=${base}`), ' ', code('OPENAI_API_KEY=<the secret>'), '. Or try:'),
    h('pre', {}, curl),
    h('button', { type: 'button', id: 'hide-secret', on: { click: () => fill(box) } }, 'I have stored it — hide the secret')));
  const field = secret.querySelector('input');
  field.focus();
  field.select();
  ctx.announce(`Key ${key.name} created. Copy the secret now; it is shown only once.`);
}
