import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Notice } from "@/components/controls";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { returnPath } from "@/lib/http/return-path";
import { activeBindings } from "@/lib/sso/bindings";
import { SSO_REFUSALS } from "@/lib/sso/sign-in";
import { LoginForm } from "./LoginForm";
import { SsoButtons } from "./SsoButtons";

export const metadata: Metadata = { title: "Sign in" };

/**
 * Where to go once signed in: only a path on this console (lib/http/return-path.ts).
 * next-auth sends its own `callbackUrl` as an absolute URL on our origin.
 */
async function returnPathFrom(value: string | string[] | undefined): Promise<string> {
  const host = (await headers()).get("host");
  return returnPath(value, { origin: env().publicUrl ?? (host ? `http://${host}` : undefined) });
}

/**
 * next-auth sends a failed sign-in back here with `?error=`: an SSO refusal
 * (lib/sso/sign-in.ts) as `Sso:<reason>`, anything else under next-auth's
 * own names. One sentence each; never the IdP's own error text.
 */
function signInError(value: string | string[] | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const reason = /^Sso:(\w+)$/.exec(value)?.[1];
  if (reason && Object.hasOwn(SSO_REFUSALS, reason)) return SSO_REFUSALS[reason as keyof typeof SSO_REFUSALS];
  if (value === "OAuthSignin" || value === "OAuthCallback" || value === "Callback" || value === "OAuthCreateAccount") {
    return "Signing in with your identity provider did not complete. Try again, or ask a platform administrator to check its settings.";
  }
  if (value === "AccessDenied") return "You may not sign in here.";
  // The password form reports its own failures; other values need no banner.
  return undefined;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = await returnPathFrom(params.next ?? params.callbackUrl);
  if (await currentUser()) redirect(next);
  const providers = (await activeBindings()).map((b) => ({ id: b.alias, label: b.alias }));
  const localLogin = env().localLogin;
  const error = signInError(params.error);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Sign in to plexsphere</h1>
        <p className="mt-1 text-center text-sm text-slate-600">Clouds and the credentials that pay for them.</p>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {error && (
            <div className="mb-4">
              <Notice tone="error" role="alert">
                {error}
              </Notice>
            </div>
          )}
          {providers.length > 0 && <SsoButtons providers={providers} next={next} />}
          {providers.length > 0 && localLogin && <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">or</p>}
          {localLogin && <LoginForm next={next} />}
          {!localLogin && providers.length === 0 && (
            <p className="text-sm text-slate-600">No sign-in method is configured yet. Ask the operator to add an identity provider.</p>
          )}
        </div>
      </div>
    </main>
  );
}
