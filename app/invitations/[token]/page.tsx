import type { Metadata } from "next";
import { SsoButtons } from "@/app/login/SsoButtons";
import { env } from "@/lib/env";
import { activeBindings } from "@/lib/sso/bindings";
import { invitationForToken } from "@/lib/identity/invitations";
import { AcceptInvitationForm } from "./AcceptInvitationForm";

export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Outside the signed-in layout: the invitee has no account yet. The link's token is the only credential. */
export default async function AcceptInvitationPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  const invitation = await invitationForToken(token);
  const providers = invitation?.status === "pending" ? (await activeBindings()).map((b) => ({ id: b.alias, label: b.alias })) : [];
  const localLogin = env().localLogin;
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Join plexsphere</h1>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {invitation?.status === "pending" ? (
            <>
              <p className="mb-4 text-sm text-slate-600">
                You were invited as <strong>{invitation.email}</strong>.{" "}
                {providers.length > 0
                  ? "Sign in with your company's identity provider as that email"
                  : "Choose your name and a password to create your account"}
                {providers.length > 0 && localLogin ? ", or choose your name and a password." : "."}
              </p>
              {/* Any SSO sign-in with the invited email redeems the invitation (lib/sso/sign-in.ts); the link's token stays here. */}
              {providers.length > 0 && <SsoButtons providers={providers} next="/clouds" />}
              {providers.length > 0 && localLogin && <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">or</p>}
              {localLogin && <AcceptInvitationForm token={token} />}
              {!localLogin && providers.length === 0 && (
                <p className="text-sm text-slate-600">
                  No sign-in method is configured yet. Ask whoever invited you to add an identity provider.
                </p>
              )}
            </>
          ) : (
            <p className="text-sm text-slate-700" role="alert">
              This invitation link has expired, was revoked or has been used already. Ask whoever invited you for a new one.
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
