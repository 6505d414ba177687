import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, DescriptionList, Notice, PageHeader, Timestamp, buttonClass, inputClass } from "@/components/ui";
import { decideDeviceAction } from "@/lib/auth/device-actions";
import { describeDeviceRequest, normalizeUserCode } from "@/lib/auth/device";
import { currentUser } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";

export const metadata: Metadata = { title: "Approve a device login" };
export const dynamic = "force-dynamic";

const OUTCOMES: Record<string, { tone: "success" | "error" | "info"; text: string }> = {
  approved: { tone: "success", text: "Approved. The command line is signed in as you; you can close this tab." },
  denied: { tone: "info", text: "Denied. The command line was told no." },
  device_code_not_found: { tone: "error", text: "No device login waits for this code. Check it against your terminal." },
  device_code_expired: { tone: "error", text: "This code has expired. Run plexctl login again." },
  device_code_already_approved: { tone: "error", text: "This code was already approved." },
  device_code_denied: { tone: "error", text: "This code was already denied." },
  device_lookup_throttled: {
    tone: "error",
    text: "Too many codes that match no login. Wait a few minutes, then check the code against your terminal.",
  },
};

/** A lookup refused by the per-person limit is shown as an outcome; anything else is not ours to hide. */
function throttledOutcome(error: unknown): "device_lookup_throttled" {
  if (isDomainError(error) && error.code === "device_lookup_throttled") return "device_lookup_throttled";
  throw error;
}

/**
 * Where `plexctl login` sends a person (the verification_uri): it shows which
 * client asks and when, and the signed-in person approves or denies. It sits
 * outside the console layout so a signed-out visitor comes back here, code
 * and all, after signing in.
 */
export default async function DevicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const typed = typeof params.user_code === "string" ? params.user_code : "";
  const user = await currentUser();
  if (!user) redirect(`/login?${new URLSearchParams({ next: `/device${typed ? `?user_code=${encodeURIComponent(typed)}` : ""}` })}`);
  const userCode = normalizeUserCode(typed);
  const lookup = userCode ? await describeDeviceRequest(user, userCode).catch(throttledOutcome) : undefined;
  const request = lookup === "device_lookup_throttled" ? undefined : lookup;
  const outcome =
    typeof params.outcome === "string" ? OUTCOMES[params.outcome] : lookup === "device_lookup_throttled" ? OUTCOMES[lookup] : undefined;
  const shown = userCode ? `${userCode.slice(0, 4)}-${userCode.slice(4)}` : typed;

  return (
    <main className="mx-auto max-w-xl px-6 py-12">
      <PageHeader
        title="Approve a device login"
        subtitle={<>Signed in as {user.email}. Approving lets that client act as you for 12 hours.</>}
      />
      <div className="space-y-6">
        {outcome && (
          <Notice tone={outcome.tone} role="status">
            {outcome.text}
          </Notice>
        )}
        <Card title="Code">
          <form method="get" action="/device" className="flex gap-2">
            <label htmlFor="user_code" className="sr-only">
              Code shown in your terminal
            </label>
            <input
              id="user_code"
              name="user_code"
              defaultValue={shown}
              placeholder="ABCD-EFGH"
              autoComplete="off"
              className={`${inputClass} font-mono uppercase`}
            />
            <button type="submit" className={buttonClass.secondary}>
              Look up
            </button>
          </form>
        </Card>
        {userCode && !request && !outcome && <Notice tone="error">{OUTCOMES["device_code_not_found"].text}</Notice>}
        {request && (
          <Card title="Who asks">
            <DescriptionList
              items={[
                { term: "Client", value: <span data-testid="device-client">{request.clientLabel}</span> },
                { term: "Code", value: <span className="font-mono">{shown}</span> },
                { term: "Asked", value: <Timestamp value={request.createdAt} /> },
                { term: "Expires", value: <Timestamp value={request.expiresAt} /> },
                { term: "State", value: <span data-testid="device-state">{request.state}</span> },
              ]}
            />
            {request.state === "pending" && (
              <form action={decideDeviceAction} className="mt-6 flex gap-3">
                <input type="hidden" name="user_code" value={userCode} />
                <button type="submit" name="decision" value="approve" className={buttonClass.primary}>
                  Approve
                </button>
                <button type="submit" name="decision" value="deny" className={buttonClass.secondary}>
                  Deny
                </button>
              </form>
            )}
          </Card>
        )}
      </div>
    </main>
  );
}
