import type { Metadata } from "next";
import { DataTable } from "@/components/DataTable";
import { Card, EmptyState, PageHeader, Timestamp } from "@/components/ui";
import { currentSessionId, requireUser } from "@/lib/auth/session";
import { listSessions } from "@/lib/auth/sessions";
import { deviceSummary } from "./device";
import { EndSessionButton, SignOutEverywhereButton } from "./SessionButtons";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const user = await requireUser();
  const sessions = await listSessions(user, await currentSessionId());
  return (
    <>
      <PageHeader
        title="Sessions"
        subtitle="Where you are signed in to the console. Sign out a browser you do not recognise, or everywhere at once."
      />
      <div className="max-w-4xl space-y-6">
        <Card title="Active sessions">
          {sessions.length === 0 ? (
            <EmptyState>No active sessions.</EmptyState>
          ) : (
            <DataTable
              label="Your sessions"
              columns={["Device", "Address", "Signed in", "Last seen", { label: "Actions", align: "right" }]}
            >
              {sessions.map((session) => (
                <tr key={session.id} data-session-id={session.id} data-current={session.current ? "true" : undefined}>
                  <td className="py-2 pr-4">
                    <span className="font-medium text-slate-900" title={session.userAgent ?? undefined}>
                      {deviceSummary(session.userAgent)}
                    </span>
                    {session.current && (
                      <span
                        className={
                          "ml-2 inline-flex items-center rounded-md bg-indigo-50 px-2 py-0.5 text-xs font-medium " +
                          "text-indigo-700 ring-1 ring-inset ring-indigo-600/20 dark:bg-indigo-950 dark:text-indigo-200 " +
                          "dark:ring-indigo-400/30"
                        }
                      >
                        This session
                      </span>
                    )}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs text-slate-600">{session.clientAddress ?? "unknown"}</td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={session.createdAt} />
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={session.lastSeenAt} />
                  </td>
                  <td className="py-2 text-right">
                    {session.current ? (
                      <span className="text-xs text-slate-500">Use “Sign out” above</span>
                    ) : (
                      <EndSessionButton sessionId={session.id} device={deviceSummary(session.userAgent)} />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>
        <Card title="Sign out everywhere">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-slate-600">
              Ends every session above, this one included. API tokens keep working; revoke them under API tokens.
            </p>
            <SignOutEverywhereButton count={sessions.length} />
          </div>
        </Card>
      </div>
    </>
  );
}
