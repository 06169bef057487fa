// Alerts: budget thresholds crossed, runaway automations, provider error spikes — open ones first,
// with buttons to acknowledge (which also lifts a runaway's suspension) and to resolve.
import { get, has, hasRole, post } from '../lib/api.js';
import { badge, emptyState, fill, h, loading, panel, problem, table } from '../lib/dom.js';
import { dateTime, int } from '../lib/format.js';

const STATES = [['open', 'Open'], ['acknowledged', 'Acknowledged'], ['resolved', 'Resolved'], ['', 'All']];

export default async function render(root, ctx) {
  const state = ctx.params.has('state') ? ctx.params.get('state') : 'open';
  const list = h('div', { id: 'alert-list' }, loading('Reading alerts'));
  root.append(h('nav', { class: 'tabs', 'aria-label': 'Alert states' }, STATES.map(([value, label]) =>
    h('a', { href: ctx.link('alerts', { state: value || 'all' }), 'aria-current': (state === value || (state === 'all' && !value)) ? 'page' : null }, label))),
  panel({ title: 'Alerts', sub: 'Each alert counts its repeats until someone acts on it', id: 'alerts' }, list));
  let all;
  try {
    all = (await get('/admin/v1/alerts')).data;
  } catch (e) {
    fill(list, problem(e, 'Alerts could not be read'));
    return;
  }
  if (!ctx.alive()) return;
  const rows = all.filter((a) => state === 'all' || !state || a.state === state);
  if (!rows.length) {
    fill(list, emptyState(state === 'open' ? 'No open alerts' : 'No alerts here',
      'Tollgate raises an alert when a budget crosses a warning threshold, an automation runs away, or a provider starts failing; configure where they are sent under alerts: in the config file.'));
    return;
  }
  const act = (a, action, label) => (has('POST', `/admin/v1/alerts/:id/${action}`) && hasRole('admin', 'finance')
    ? h('button', { type: 'button', 'aria-label': `${label} ${a.id}`, on: { click: async (ev) => {
      ev.target.disabled = true;
      try {
        await post(`/admin/v1/alerts/${encodeURIComponent(a.id)}/${action}`);
        ctx.announce(`Alert ${label === 'Acknowledge' ? 'acknowledged' : 'resolved'}`);
        ctx.navigate(window.location.hash);
      } catch (e) {
        ev.target.replaceWith(problem(e, `Could not ${label.toLowerCase()}`));
      }
    } } }, label) : null);
  fill(list, table({
    id: 'alerts-table',
    caption: `${rows.length} alerts, newest first`,
    columns: [
      { key: 'severity', label: 'Severity', format: (v) => badge(v || '—', v === 'critical' ? 'hard' : v === 'warning' ? 'requested' : 'info') },
      { key: 'kind', label: 'Kind', format: (v) => (v || '').replace(/_/g, ' ') },
      { key: 'subject', label: 'About' },
      { key: 'message', label: 'What happened', sort: false },
      { key: 'count', label: 'Times', num: true, format: int },
      { key: 'last_at', label: 'Last seen', format: dateTime },
      { key: 'state', label: 'State', format: (v, a) => h('span', {}, badge(v, v === 'open' ? 'requested' : 'ok'), a.acted_by ? h('div', { class: 'sub' }, `by ${a.acted_by}`) : null) },
      { key: 'actions', label: 'Actions', sort: false, value: () => null, format: (v, a) => h('div', { class: 'actions' },
        a.state === 'open' ? act(a, 'ack', 'Acknowledge') : null, a.state !== 'resolved' ? act(a, 'resolve', 'Resolve') : null) },
    ],
    rows: [...rows].sort((a, b) => String(b.last_at).localeCompare(String(a.last_at))),
  }));
}
