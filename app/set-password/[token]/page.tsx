import type { Metadata } from "next";
import { passwordSetupFor } from "@/lib/identity/password-setup";
import { SetPasswordForm } from "./SetPasswordForm";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** The one-time link `npm run admin -- create-user` prints; outside the signed-in layout. */
export default async function SetPasswordPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  const setup = await passwordSetupFor(token);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Set your password</h1>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {setup ? (
            <>
              <p className="mb-4 text-sm text-slate-600">
                For <strong>{setup.email}</strong>.
              </p>
              <SetPasswordForm token={token} />
            </>
          ) : (
            <p className="text-sm text-slate-700" role="alert">
              This link has expired or has been used already. Run the admin command again for a new one.
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
