/**
 * The two calls the console's pages make to next-auth's own endpoints, the
 * way next-auth's client library makes them (fetch the CSRF token, post the
 * form, read `error` from the answer's `url`), without shipping that
 * library and its session provider to every page.
 */
async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return token;
}

function post(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams(fields),
  });
}

/** `{ ok: true }` once the session cookie is set; else next-auth's error code (or a throttle's `TooManyAttempts:<seconds>`). */
export async function signInWithPassword(email: string, password: string): Promise<{ ok: boolean; error?: string }> {
  const response = await post("/api/auth/callback/credentials", {
    email,
    password,
    csrfToken: await csrfToken(),
    callbackUrl: window.location.href,
    json: "true",
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? (new URL(body.url, window.location.origin).searchParams.get("error") ?? undefined) : "SignInFailed";
  return response.ok && !error ? { ok: true } : { ok: false, error: error ?? "SignInFailed" };
}

/** Ends the session on the server (and clears its cookie), then leaves for `to`. */
export async function signOutAndLeave(to: string): Promise<void> {
  await post("/api/auth/signout", { csrfToken: await csrfToken(), callbackUrl: to, json: "true" });
  window.location.assign(to);
}

/** Starts an identity provider's code flow (PKCE, state and nonce are next-auth's): next-auth answers with the IdP's authorization URL. */
export async function signInWithProvider(providerId: string, callbackUrl: string): Promise<void> {
  const response = await post(`/api/auth/signin/${encodeURIComponent(providerId)}`, {
    csrfToken: await csrfToken(),
    callbackUrl,
    json: "true",
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  window.location.assign(body.url ?? `/login?error=OAuthSignin`);
}
