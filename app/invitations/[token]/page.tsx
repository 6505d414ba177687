import type { Metadata } from "next";
import Link from "next/link";
import { invitationForToken } from "@/lib/identity/invitations";
import { AcceptInvitationForm } from "./AcceptInvitationForm";

export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Outside the signed-in layout: the invitee has no account yet. The link's token is the only credential. */
export default async function AcceptInvitationPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  const invitation = await invitationForToken(token);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Join plexsphere</h1>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {invitation?.status === "pending" ? (
            <>
              <p className="mb-4 text-sm text-slate-600">
                You were invited as <strong>{invitation.email}</strong>. Choose your name and a password to create your account.
              </p>
              <AcceptInvitationForm token={token} />
              <p className="mt-4 text-xs text-slate-500">
                Does your company sign in with single sign-on? <Link href="/login" className="text-indigo-700 hover:underline">Continue on the sign-in page</Link> with that email instead.
              </p>
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
