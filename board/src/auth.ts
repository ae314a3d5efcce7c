/**
 * Sign-in. Locally the API token, asked once and kept in sessionStorage (gone when the tab closes). On AWS
 * (`config.json` says `cognito`) the Cognito hosted sign-in with the authorization-code flow and PKCE; the
 * ID token (with the `cognito:groups` claim) is kept in sessionStorage and sent as the bearer.
 */
/** `apiBase`: where `/api/*` is when it is not the page's own origin (the board's API on AWS). */
export type BoardConfig = ({ auth: 'token' } | { auth: 'cognito'; domain: string; clientId: string }) & { apiBase?: string };

const TOKEN_KEY = 'board-token';
const VERIFIER_KEY = 'board-pkce';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

const redirectUri = () => `${location.origin}${location.pathname}`;

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export async function startCognitoSignIn(c: Extract<BoardConfig, { auth: 'cognito' }>): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`https://${c.domain}/oauth2/authorize?${q}`);
}

/** Back from the hosted sign-in with `?code=`: trades it for tokens. Returns false when there was nothing to finish. */
export async function finishCognitoSignIn(c: Extract<BoardConfig, { auth: 'cognito' }>): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(VERIFIER_KEY);
  history.replaceState(null, '', redirectUri());
  if (!saved.verifier || saved.state !== params.get('state')) return false;
  const res = await fetch(`https://${c.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: c.clientId, code, redirect_uri: redirectUri(), code_verifier: saved.verifier }),
  });
  if (!res.ok) return false;
  const tokens = (await res.json()) as { id_token?: string };
  if (!tokens.id_token) return false;
  session.set(tokens.id_token);
  return true;
}
