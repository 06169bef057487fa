// The console's shell: sign-in, navigation by hash routes (#/overview, #/explorer?group_by=team…),
// and one module per page under pages/. Each page reads aggregates from the admin API with the
// signed-in token; what a page may show is decided by the admin API, the console only follows.
import { ApiError, call, has, loadRoutes, saveToken, session, signOut } from './lib/api.js';
import { disposeAll } from './lib/charts.js';
import { code, emptyState, field, fill, h, notice, problem } from './lib/dom.js';
import { setZone, timeZone } from './lib/format.js';
import { beginSso, finishSso, ssoAnswer, ssoSettings } from './lib/sso.js';

const EVERYONE = ['admin', 'finance', 'team-lead', 'member', 'auditor'];
const READERS = ['admin', 'finance', 'team-lead', 'auditor'];

/**
 * Every page: its route, who it is for (a hint for the menu; the admin API enforces), and the admin
 * routes it needs. A page whose routes this build lacks says so instead of failing.
 */
export const PAGES = [
  { id: 'overview', group: 'Spend', title: 'Overview', module: './pages/overview.js', roles: READERS, needs: ['GET /admin/v1/usage'] },
  { id: 'explorer', group: 'Spend', title: 'Explorer', module: './pages/explorer.js', roles: READERS, needs: ['GET /admin/v1/usage'] },
  { id: 'budgets', group: 'Spend', title: 'Budgets & headroom', module: './pages/budgets.js', roles: READERS, needs: ['GET /admin/v1/budgets/status'] },
  { id: 'my-usage', group: 'Spend', title: 'My usage', module: './pages/myusage.js', roles: EVERYONE, needs: ['GET /admin/v1/usage'] },
  { id: 'chargeback', group: 'Spend', title: 'Chargeback', module: './pages/reports.js', roles: ['admin', 'finance'],
    needs: ['GET /admin/v1/reports/chargeback'],
    about: 'Monthly statements per team and cost center: what each owes for the month, ready for finance.' },
  { id: 'outcomes', group: 'Spend', title: 'Outcomes & ROI', module: './pages/reports.js', roles: ['admin', 'finance', 'team-lead'],
    needs: ['GET /admin/v1/outcomes'],
    about: 'Business outcomes recorded against workflows (tickets closed, invoices matched…) and the cost per outcome.' },
  { id: 'adoption', group: 'Spend', title: 'Adoption', module: './pages/adoption.js', roles: READERS,
    needs: ['GET /admin/v1/reports/adoption'],
    about: 'Who uses AI and how deeply: active people per day, week and month, what they built and share, features used, spend per person.' },
  { id: 'exceptions', group: 'Act', title: 'Exceptions', module: './pages/exceptions.js', roles: EVERYONE, needs: ['GET /admin/v1/exceptions'] },
  { id: 'alerts', group: 'Act', title: 'Alerts', module: './pages/alerts.js', roles: EVERYONE, needs: ['GET /admin/v1/alerts'],
    about: 'Spend spikes, runaway agents and budgets about to run out, with a button to acknowledge each.' },
  { id: 'keys', group: 'Act', title: 'Keys', module: './pages/keys.js', roles: READERS, needs: ['GET /admin/v1/keys'] },
  { id: 'policy', group: 'Policy', title: 'Workload classes', module: './pages/policy.js', roles: EVERYONE, needs: ['GET /admin/v1/workload-classes'] },
  { id: 'prices', group: 'Policy', title: 'Price catalog', module: './pages/prices.js', roles: EVERYONE, needs: ['GET /admin/v1/prices'] },
  { id: 'ledger', group: 'Records', title: 'Ledger', module: './pages/ledger.js', roles: EVERYONE, needs: ['GET /admin/v1/ledger'] },
  { id: 'tokens', group: 'Act', title: 'Admin tokens', module: './pages/tokens.js', roles: ['admin', 'auditor'], needs: ['GET /admin/v1/tokens'],
    about: 'Personal sign-in tokens for the console and the admin API, each with a role and teams.' },
  { id: 'audit', group: 'Records', title: 'Audit log', module: './pages/reports.js', roles: ['admin', 'auditor'], needs: ['GET /admin/v1/audit'],
    about: 'Every change made through the admin API and the config file: who, what, when, with a tamper check.' },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const live = document.getElementById('live');
let renderSeq = 0;
let focusHeading = false;

/** Tells screen-reader users what just happened (saved, approved, copied…). */
export function announce(text) {
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

/** '#/explorer?group_by=team' for a page and its parameters. */
export function link(page, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const s = q.toString();
  return `#/${page}${s ? `?${s}` : ''}`;
}

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [id, query] = raw.split('?');
  return { id, params: new URLSearchParams(query || '') };
}

function allowed(page) {
  const me = session.me;
  return !me || !me.known || page.roles.some((r) => me.roles.includes(r));
}

function available(page) {
  return page.needs.every((r) => session.routes.has(r));
}

function defaultPage() {
  const me = session.me;
  if (me && me.known && me.roles.length === 1 && me.roles[0] === 'member') return 'my-usage';
  return 'overview';
}

function renderNav(current) {
  const groups = [...new Set(PAGES.map((p) => p.group))];
  fill(nav, groups.map((g) => {
    const pages = PAGES.filter((p) => p.group === g && allowed(p));
    if (!pages.length) return null;
    return h('div', { class: 'nav-group' }, h('h2', {}, g), h('ul', {}, pages.map((p) => h('li', {},
      h('a', { href: link(p.id), 'aria-current': p.id === current ? 'page' : null, class: available(p) ? null : 'unavailable' },
        p.title, available(p) ? null : h('span', { class: 'tag' }, 'not in this build'))))));
  }));
  nav.hidden = false;
}

function renderWho() {
  const me = session.me;
  if (!me) {
    fill(who);
    return;
  }
  const role = me.known ? `${me.roles.join(', ')}${me.teams.length ? ` · ${me.teams.join(', ')}` : ''}` : 'admin';
  fill(who,
    h('span', {}, 'Signed in as ', h('strong', {}, me.name), ` (${role})`),
    h('span', { class: 'zone', title: 'Dates and days on every page are in this time zone' }, `Times in ${timeZone()}`),
    h('button', { type: 'button', class: 'link', on: { click: () => { signOut('You signed out.'); } } }, 'Sign out'));
}

async function show() {
  const seq = ++renderSeq;
  disposeAll();
  if (!session.token || !session.me) {
    renderSignIn();
    return;
  }
  let { id, params } = parseHash();
  let page = PAGES.find((p) => p.id === id);
  if (!page) {
    window.location.replace(link(defaultPage()));
    return;
  }
  renderNav(page.id);
  renderWho();
  document.title = `${page.title} · Tollgate`;
  const heading = h('h1', { tabindex: '-1' }, page.title);
  // aria-busy until the page's module has drawn what it awaits: assistive technology (and the page
  // timing in bench/) then know the region is still being filled.
  const body = h('div', { class: 'page', id: `page-${page.id}`, 'aria-busy': 'true' });
  fill(main, heading, body);
  if (focusHeading) heading.focus();
  focusHeading = true;
  if (!allowed(page)) {
    body.append(emptyState('Not for your role',
      `This page is for ${page.roles.join(', ')}. You are signed in as ${session.me.roles.join(', ')}.`,
      h('p', {}, h('a', { href: link(defaultPage()) }, 'Go to your start page'))));
    return;
  }
  if (!available(page)) {
    body.append(notAvailable(page));
    return;
  }
  const ctx = { params, page, link, announce, navigate, me: session.me, alive: () => seq === renderSeq };
  try {
    const mod = await import(page.module);
    if (seq !== renderSeq) return;
    await mod.default(body, ctx);
  } catch (e) {
    if (seq !== renderSeq) return;
    body.append(problem(e));
  } finally {
    body.removeAttribute('aria-busy');
  }
}

/** The state of a page whose admin API this gateway does not have yet. */
function notAvailable(page) {
  return h('div', { class: 'empty unavailable', id: 'not-available' },
    h('h3', {}, 'Not available in this build'),
    h('p', {}, page.about || ''),
    h('p', {}, 'This gateway has no ', code(page.needs.join(', ')),
      ' route yet, so there is nothing to show. The page fills in by itself on a gateway that has it; nothing to set up here.'),
    h('p', {}, 'Meanwhile: ', h('a', { href: link('explorer') }, 'the Explorer'), ' groups spend by any dimension, and ',
      h('a', { href: link('budgets') }, 'Budgets & headroom'), ' shows every cap.'));
}

export function navigate(hash, { replace = false } = {}) {
  if (window.location.hash === hash) show();
  else if (replace) window.location.replace(hash);
  else window.location.hash = hash;
}

function renderSignIn(message, kind = 'info') {
  renderSeq += 1; // a page still loading for the signed-out user stops drawing
  disposeAll();
  nav.hidden = true;
  fill(who);
  document.title = 'Sign in · Tollgate';
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('div', { id: 'signin-status' }, message ? notice(kind, message) : null);
  const sso = h('div', { id: 'sso' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin', id: 'signin', on: { submit: async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    fill(status, h('p', { class: 'loading', role: 'status' }, 'Checking the token…'));
    try {
      await identify(input.value.trim());
      saveToken(input.value.trim());
      focusHeading = true;
      const { id } = parseHash();
      if (!PAGES.some((p) => p.id === id)) window.location.replace(link(defaultPage()));
      show();
    } catch (e) {
      button.disabled = false;
      fill(status, e instanceof ApiError && e.status === 401
        ? notice('error', h('strong', {}, 'That token was not accepted. '), e.message)
        : problem(e, 'Could not sign in'));
      input.focus();
    }
  } } },
  h('h1', {}, 'Sign in to the Tollgate console'),
  h('p', {}, 'See what each team spends, act on budgets and exceptions, and manage keys.'),
  sso,
  field('Admin token', input, 'The admin.token of the config file (the demo prints it), or your personal admin token (tga-…). '
    + 'It is kept in this browser tab only and sent to this gateway alone.'),
  button, status);
  fill(main, form);
  input.focus();
  offerSso(sso, status);
}

/** Adds the "Sign in with SSO" button when the gateway has admin.oidc.console set up. */
async function offerSso(box, status) {
  const settings = await ssoSettings();
  if (!box.isConnected) return;
  if (!settings.enabled) {
    if (settings.problem) fill(box, notice('warn', settings.problem));
    return;
  }
  const button = h('button', { type: 'button', class: 'primary', id: 'sso-signin', on: { click: async () => {
    button.disabled = true;
    try {
      await beginSso(settings);
    } catch (e) {
      button.disabled = false;
      fill(status, notice('error', e.message));
    }
  } } }, settings.label);
  fill(box, button, h('p', { class: 'sub or' }, 'or with a token:'));
}

/** Finds out who the token belongs to (GET /admin/v1/whoami where the build has roles) and the org's zone. */
async function identify(token) {
  let me;
  let zone = null;
  if (has('GET', '/admin/v1/whoami')) {
    const w = await call('GET', '/admin/v1/whoami', { token });
    const roles = w.roles && w.roles.length ? w.roles : (w.role ? [w.role] : []);
    me = { name: w.name || w.actor || 'admin', roles, teams: w.teams || [], user: w.user || null, known: true };
  } else {
    // No roles in this build: the one admin token sees everything. Any admin route proves the token.
    zone = (await call('GET', '/admin/v1/usage', { token, query: { granularity: 'month' } })).time_zone;
    me = { name: 'admin token', roles: ['admin'], teams: [], user: null, known: false };
  }
  for (const path of zone ? [] : ['/admin/v1/usage', '/admin/v1/budgets/status']) {
    try {
      zone = (await call('GET', path, { token, query: path.endsWith('usage') ? { granularity: 'month' } : {} })).time_zone;
      if (zone) break;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 403) throw e;
    }
  }
  setZone(zone || Intl.DateTimeFormat().resolvedOptions().timeZone);
  session.me = me;
}

async function start() {
  document.getElementById('skip').addEventListener('click', (ev) => {
    ev.preventDefault();
    (main.querySelector('h1') || main).focus();
  });
  // The hash stays: after signing in again the user is back where they were.
  session.onSignedOut = (reason) => renderSignIn(reason);
  try {
    await loadRoutes();
  } catch (e) {
    fill(main, notice('error', 'The console could not reach the gateway. Reload the page when it is running.'));
    return;
  }
  window.addEventListener('hashchange', show);
  const answer = ssoAnswer();
  if (answer) {
    try {
      const token = await finishSso(answer);
      await identify(token);
      saveToken(token);
    } catch (e) {
      renderSignIn(e instanceof ApiError && e.status === 401 ? `Your identity provider signed you in, but the gateway refused the token: ${e.message}`
        : e.message, 'error');
      return;
    }
  } else if (session.token) {
    try {
      await identify(session.token);
    } catch (e) {
      signOut(e instanceof ApiError && e.status === 401 ? 'Your token was refused. Sign in again.' : undefined);
      return;
    }
  }
  show();
}

start();
