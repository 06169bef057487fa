// "Sign in with SSO": the OAuth 2.0 authorization-code flow with PKCE (RFC 7636). This tab makes a
// one-time verifier and state, sends the person to the identity provider, and on the way back to
// /console/?code=…&state=… asks the gateway to exchange the code (POST /console/sso/token) for the
// ID token it then uses as its bearer token. Verifier and state live in sessionStorage for the trip.

const PENDING = 'tollgate.console.sso';

/** {enabled, label, client_id, authorization_endpoint, scopes} from the gateway; {enabled:false} if not set up. */
export async function ssoSettings() {
  try {
    const res = await fetch('sso.json', { headers: { accept: 'application/json' } });
    return res.ok ? await res.json() : { enabled: false };
  } catch {
    return { enabled: false };
  }
}

/** Where the identity provider sends the person back: this console's own page, without hash or query. */
export function redirectUri() {
  return new URL('/console/', window.location.origin).toString();
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n) {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** Leaves for the identity provider; the page the person was on (the hash) is restored on return. */
export async function beginSso(settings) {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new Error('SSO sign-in needs the console on https:// (or on localhost); sign in with a token instead.');
  }
  const verifier = random(32);
  const state = random(16);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash: window.location.hash }));
  const u = new URL(settings.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: settings.client_id, redirect_uri: redirectUri(),
    scope: settings.scopes, state, code_challenge: challenge, code_challenge_method: 'S256' })) u.searchParams.set(k, v);
  window.location.assign(u.toString());
}

/** The identity provider's answer in this page's address (?code=…&state=… or ?error=…), or null. */
export function ssoAnswer() {
  const q = new URLSearchParams(window.location.search);
  return q.has('code') || q.has('error') ? q : null;
}

/**
 * Finishes the sign-in: checks the state against the one this tab sent, has the gateway exchange the
 * code, and returns the ID token. The code leaves the address bar either way.
 */
export async function finishSso(answer) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  window.history.replaceState(null, '', window.location.pathname + (pending?.hash || ''));
  if (answer.has('error')) {
    throw new Error(`The identity provider did not sign you in: ${answer.get('error_description') || answer.get('error')}.`);
  }
  if (!pending || pending.state !== answer.get('state')) {
    throw new Error('This sign-in answer was not started from this tab (its state does not match). Start again.');
  }
  const res = await fetch('sso/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code: answer.get('code'), code_verifier: pending.verifier, redirect_uri: redirectUri() }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.token) throw new Error(body?.error?.message || `Signing in did not finish (the gateway answered ${res.status}).`);
  return body.token;
}
