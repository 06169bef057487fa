// Price catalog: the price in force for each configured model (USD per million tokens), and a
// look-up of any model in the bundled catalog.
import { get } from '../lib/api.js';
import { emptyState, field, fill, h, loading, panel, problem, table, code } from '../lib/dom.js';
import { int, usd } from '../lib/format.js';

const perM = (v) => (v === null || v === undefined || Number(v) === 0 ? '—' : usd(v));

export default async function render(root, ctx) {
  const list = h('div', { id: 'price-list' }, loading('Reading prices'));
  const found = h('div', { id: 'price-lookup-result' });
  const model = h('input', { type: 'text', name: 'model', required: true, placeholder: 'claude-sonnet-4-5, gpt-4.1, gemini-2.5-pro…' });
  const lookup = h('form', { class: 'inline', on: { submit: async (ev) => {
    ev.preventDefault();
    fill(found, loading());
    try {
      const p = await get(`/admin/v1/prices/${encodeURIComponent(model.value.trim())}`);
      fill(found, h('dl', { class: 'kv' }, ...kv([['Model', p.model], ['Provider', p.provider || '—'], ['Kind', p.mode || p.tier || '—'],
        ['Input / M tokens', perM(p.input_per_mtok)], ['Cached input / M', perM(p.cached_input_per_mtok)],
        ['Cache write / M', perM(p.cache_write_per_mtok)], ['Output / M tokens', perM(p.output_per_mtok)],
        ['Reasoning / M', perM(p.reasoning_per_mtok)], ['Source', p.source],
        ['Tiered rates', p.tiers?.length ? p.tiers.map((t) => `above ${int(t.above_input_tokens)} input tokens: ${perM(t.input_per_mtok)} in, ${perM(t.output_per_mtok)} out`).join('; ') : 'none']])));
    } catch (e) {
      fill(found, problem(e, 'No price found'));
    }
  } } }, field('Any model', model), h('button', { type: 'submit' }, 'Look up'));

  root.append(panel({ title: 'Models of this gateway', sub: 'US dollars per million tokens, as charged in the ledger', id: 'prices' }, list),
    panel({ title: 'Look up the catalog', sub: 'Every model in the bundled catalog, configured or not', id: 'lookup' }, lookup, found));
  try {
    const body = await get('/admin/v1/prices');
    if (!ctx.alive()) return;
    if (!body.data.length) {
      fill(list, emptyState('No models configured', 'Add models: to the config file; each is priced from the catalog or from its own price: entry.'));
      return;
    }
    fill(list, table({
      id: 'prices-table',
      caption: `${body.data.length} configured models · ${int(body.catalog_models)} models in the catalog`,
      initialSort: { key: 'output_per_mtok', dir: 'asc' },
      columns: [
        { key: 'model', label: 'Model', format: (v, p) => h('span', {}, h('strong', {}, v), p.upstream && p.upstream !== v ? h('div', { class: 'sub' }, `upstream ${p.upstream}`) : null) },
        { key: 'provider', label: 'Provider' },
        { key: 'tier', label: 'Tier' },
        { key: 'input_per_mtok', label: 'Input', num: true, value: (p) => Number(p.input_per_mtok), format: perM },
        { key: 'cached_input_per_mtok', label: 'Cached input', num: true, value: (p) => Number(p.cached_input_per_mtok), format: perM },
        { key: 'output_per_mtok', label: 'Output', num: true, value: (p) => Number(p.output_per_mtok), format: perM },
        { key: 'reasoning_per_mtok', label: 'Reasoning', num: true, value: (p) => Number(p.reasoning_per_mtok), format: perM },
        { key: 'source', label: 'Price from', format: (v) => (v ? code(v) : '—') },
      ],
      rows: body.data,
    }));
  } catch (e) {
    fill(list, problem(e, 'Prices could not be read'));
  }
}

function kv(pairs) {
  return pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined ? '—' : v)]);
}
