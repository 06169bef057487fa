// Workload classes and routing policy: each class with the models it allows, how requests are
// classified, and a form that simulates a request's whole policy decision without calling a model.
import { get, has, hasRole, post } from '../lib/api.js';
import { badge, code, emptyState, field, fill, h, loading, notice, panel, problem, select, table } from '../lib/dom.js';
import { amount } from '../lib/format.js';

export default async function render(root, ctx) {
  const classesBox = h('div', { id: 'class-list' }, loading('Reading the policy'));
  const rulesBox = h('div', { id: 'rule-list' });
  root.append(panel({ title: 'Classes', sub: 'Which models each class of work may use; a request for another model goes to the preferred one', id: 'classes' }, classesBox),
    panel({ title: 'Classification', sub: 'The first that applies: X-Tollgate-Workload-Class header, the key\'s class, the first matching rule, the default', id: 'rules' }, rulesBox));
  let policy;
  try {
    policy = await get('/admin/v1/workload-classes');
  } catch (e) {
    fill(classesBox, problem(e, 'The policy could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  if (!policy.data.length) {
    fill(classesBox, emptyState('No workload classes', 'Without classes every key may use every model it allows. Declare workload_classes: in the config file, or make them with POST /admin/v1/workload-classes (admins), to steer work to the right tier — see docs/routing.md.'));
  } else {
    fill(classesBox, table({
      id: 'classes-table',
      columns: [
        { key: 'name', label: 'Class', format: (v) => h('span', {}, h('strong', {}, v), v === policy.default ? h('div', { class: 'sub' }, 'default') : null) },
        { key: 'allowed_models', label: 'Models allowed', sort: false, format: (v) => (v?.length ? v.join(', ') : 'none') },
        { key: 'allow', label: 'Rule', sort: false, value: (c) => [c.allow?.length ? `allow ${c.allow.join(', ')}` : null, c.block?.length ? `block ${c.block.join(', ')}` : null].filter(Boolean).join('; ') || 'every model' },
        { key: 'prefer', label: 'Preferred' },
        { key: 'fallback', label: 'Fallbacks', sort: false, format: (v) => (v?.length ? v.join(' → ') : '—') },
        { key: 'exception_tiers', label: 'Needs an exception', sort: false, format: (v) => (v?.length ? v.join(', ') : '—') },
        { key: 'pii', label: 'Personal data', format: (v) => badge(v || 'allow', 'pii') },
        { key: 'output_guard', label: 'Answers', format: (v) => (v && v !== 'off' ? badge(v, 'pii') : '—') },
        { key: 'source', label: 'Source', format: (v) => (v === 'api' ? 'admin API' : 'config file') },
        { key: 'max_cost_usd', label: 'Max per request', num: true, format: (v) => (v === null || v === undefined ? '—' : amount(v, 'usd')) },
      ],
      rows: policy.data,
    }));
  }
  fill(rulesBox, policy.rules.length ? table({
    id: 'rules-table',
    columns: [
      { key: 'n', label: '#', num: true },
      { key: 'when', label: 'When', sort: false, value: (r) => Object.entries(r.when || {}).map(([k, v]) => `${k} = ${v}`).join(' and ') },
      { key: 'class', label: 'Class' },
    ],
    rows: policy.rules.map((r, i) => ({ ...r, n: i + 1 })),
  }) : h('p', {}, 'No rules: requests get the class of their header or key', policy.default ? `, else ${policy.default}.` : '.'));
  rulesBox.append(h('p', { class: 'sub' }, 'Default class: ', policy.default ? code(policy.default) : 'none (any model the key allows)'));
  if (has('POST', '/admin/v1/policy/simulate') && hasRole('admin', 'finance')) root.append(await simulateForm(ctx, policy));
}

async function simulateForm(ctx, policy) {
  const [keys, prices] = await Promise.allSettled([get('/admin/v1/keys'), get('/admin/v1/prices')]);
  const keyNames = keys.status === 'fulfilled' ? keys.value.data.filter((k) => !k.revoked_at).map((k) => k.name) : [];
  const models = prices.status === 'fulfilled' ? prices.value.data.map((p) => p.model) : [];
  const key = keyNames.length ? select(keyNames.map((k) => [k, k]), { name: 'key' }) : h('input', { type: 'text', name: 'key', required: true });
  const model = select(models.map((m) => [m, m]), { name: 'model' });
  const cls = select([['', '— as classified —'], ...policy.data.map((c) => [c.name, c.name])], { name: 'class' });
  const workflow = h('input', { type: 'text', name: 'workflow', placeholder: 'header X-Tollgate-Workflow' });
  const user = h('input', { type: 'text', name: 'user', placeholder: 'header X-Tollgate-User' });
  const maxTokens = h('input', { type: 'number', name: 'max_tokens', min: '1', placeholder: 'model limit' });
  const prompt = h('textarea', { name: 'prompt', id: 'sim-prompt' }, 'Summarise ticket 4711');
  const out = h('div', { id: 'sim-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'simulate-form', on: { submit: async (ev) => {
    ev.preventDefault();
    const headers = {};
    if (cls.value) headers['X-Tollgate-Workload-Class'] = cls.value;
    if (workflow.value.trim()) headers['X-Tollgate-Workflow'] = workflow.value.trim();
    if (user.value.trim()) headers['X-Tollgate-User'] = user.value.trim();
    const body = { model: model.value, messages: [{ role: 'user', content: prompt.value }] };
    if (maxTokens.value) body.max_tokens = Number(maxTokens.value);
    fill(out, loading('Simulating'));
    try {
      fill(out, result(await post('/admin/v1/policy/simulate', { key: key.value, headers, body })));
    } catch (e) {
      fill(out, problem(e, 'The simulation failed'));
    }
  } } },
  h('div', { class: 'controls' }, field('As key', key), field('Model asked for', model), field('Class header', cls), field('Workflow', workflow),
    field('User', user), field('max_tokens', maxTokens)),
  h('div', { class: 'controls', style: { marginTop: '.6rem' } }, field('Prompt', prompt, null, 'wide'),
    h('button', { type: 'submit', class: 'primary' }, 'Simulate')),
  out);
  return panel({ title: 'Simulate a request', sub: 'What the gateway would decide — class, route, guard, budgets — reserving nothing and calling no model', id: 'simulate' }, form);
}

function result(r) {
  const admit = r.decision === 'admit';
  return h('div', {},
    notice(admit ? 'ok' : 'error', h('strong', {}, admit ? 'Admitted. ' : `Refused (${r.error?.status} ${r.error?.code}). `), admit ? '' : r.error?.message),
    h('dl', { class: 'kv' },
      h('dt', {}, 'Class'), h('dd', {}, `${r.classification?.workload_class || 'none'} (${r.classification?.reason || '—'})`),
      r.route ? [h('dt', {}, 'Route'), h('dd', {}, `${r.route.requested_model} → ${r.route.model} on ${r.route.provider} (${r.route.tier || 'no tier'}), because ${r.route.reason}`),
        h('dt', {}, 'Fallbacks'), h('dd', {}, r.route.fallbacks?.length ? r.route.fallbacks.join(' → ') : 'none')] : null,
      h('dt', {}, 'Attribution'), h('dd', {}, ['team', 'project', 'workflow', 'agent', 'user', 'channel'].filter((k) => r.attribution?.[k]).map((k) => `${k} ${r.attribution[k]}`).join(' · ') || '—'),
      h('dt', {}, 'Guard findings'), h('dd', {}, r.guard_findings?.length ? r.guard_findings.map((f) => (typeof f === 'string' ? f : f.type || JSON.stringify(f))).join(', ') : 'none')),
    r.budgets?.length ? table({
      caption: 'Budgets that apply',
      columns: [
        { key: 'subject', label: 'Budget' },
        { key: 'window', label: 'Window' },
        { key: 'used', label: 'Used', num: true, format: (v, b) => amount(v, b.unit) },
        { key: 'reserved', label: 'Held', num: true, format: (v, b) => amount(v, b.unit) },
        { key: 'needed', label: 'This request needs', num: true, format: (v, b) => amount(v, b.unit) },
        { key: 'limit', label: 'Limit', num: true, format: (v, b) => amount(v, b.unit) },
        { key: 'fits', label: 'Fits', format: (v) => badge(v ? 'fits' : 'over', v ? 'ok' : 'hard') },
      ],
      rows: r.budgets,
    }) : h('p', { class: 'sub' }, 'No budget applies to this request.'));
}
