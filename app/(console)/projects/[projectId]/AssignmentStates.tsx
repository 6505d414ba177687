"use client";

import { QueryProvider } from "@/components/QueryProvider";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui";
import { useServerAction } from "@/components/useServerAction";
import { decideAssignmentAction } from "@/lib/projects/actions";

type Assignment = { id: string; cloud_credential_id: string; state: string; updated_at: string };

/**
 * The Project's assignments, refetched every few seconds through the API
 * (with the session cookie), so a requester sees a decision made
 * elsewhere without reloading. Holds ids and states, never secrets.
 */
export function AssignmentStates(props: { projectId: string; credentialNames: Record<string, string>; initial: Assignment[]; mayDecide: boolean }) {
  return (
    <QueryProvider>
      <AssignmentStatesLive {...props} />
    </QueryProvider>
  );
}

function AssignmentStatesLive(props: { projectId: string; credentialNames: Record<string, string>; initial: Assignment[]; mayDecide: boolean }) {
  const queryClient = useQueryClient();
  const { pending, error, run } = useServerAction();
  const revoke = (id: string) =>
    run(async () => {
      const result = await decideAssignmentAction(id, "revoke");
      await queryClient.invalidateQueries({ queryKey: ["project-assignments", props.projectId] });
      return result;
    });
  const { data } = useQuery({
    queryKey: ["project-assignments", props.projectId],
    queryFn: async (): Promise<Assignment[]> => {
      const response = await fetch(`/v1/projects/${props.projectId}/credential-assignments`, { cache: "no-store" });
      if (!response.ok) throw new Error(`assignments: ${response.status}`);
      return (await response.json()).items;
    },
    initialData: props.initial,
    refetchInterval: 2_000,
  });
  if (data.length === 0) return <p className="text-sm text-slate-500">No requests yet.</p>;
  return (
    <>
      {error && <p className="mb-2 text-xs text-red-700">{error}</p>}
      <ul className="divide-y divide-slate-100 text-sm">
        {data.map((a) => (
          <li key={a.id} className="flex items-center justify-between py-2" data-assignment={a.id}>
            <span>{props.credentialNames[a.cloud_credential_id] ?? a.cloud_credential_id}</span>
            <span className="flex items-center gap-2">
              <span className="font-medium" data-testid="assignment-state">
                {a.state}
              </span>
              {props.mayDecide && a.state === "approved" && (
                <button type="button" className={buttonClass.ghost} disabled={pending} onClick={() => revoke(a.id)}>
                  Revoke
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
