"use client";

import { QueryProvider } from "@/components/QueryProvider";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { buttonClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { decideAssignmentAction } from "@/lib/assignments/actions";

type Assignment = { id: string; cloud_credential_id: string; state: string; updated_at: string };

/**
 * The Project's assignments, refetched every few seconds through the API
 * (with the session cookie), so a requester sees a decision made
 * elsewhere without reloading. Holds ids and states, never secrets.
 */
type AssignmentStatesProps = {
  projectId: string;
  credentialNames: Record<string, string>;
  initial: Assignment[];
  mayDecide: boolean;
  /** Why a request was rejected or an assignment revoked, from the server render; the requester sees it. */
  reasons: Record<string, string>;
};

export function AssignmentStates(props: AssignmentStatesProps) {
  return (
    <QueryProvider>
      <AssignmentStatesLive {...props} />
    </QueryProvider>
  );
}

function AssignmentStatesLive(props: AssignmentStatesProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { pending, error, run } = useAction(decideAssignmentAction, {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["project-assignments", props.projectId] }),
    onFailure: () => void queryClient.invalidateQueries({ queryKey: ["project-assignments", props.projectId] }),
  });
  const revoke = (assignmentId: string) => run({ assignmentId, decision: "revoke" });
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
  // A decision seen by polling has a reason the API list does not carry: fetch the page once more for it.
  const refreshedFor = useRef(new Set<string>());
  useEffect(() => {
    const missing = data.filter(
      (a) => (a.state === "rejected" || a.state === "revoked") && !(a.id in props.reasons) && !refreshedFor.current.has(a.id),
    );
    if (missing.length === 0) return;
    for (const a of missing) refreshedFor.current.add(a.id);
    router.refresh();
  }, [data, props.reasons, router]);
  if (data.length === 0) return <p className="text-sm text-slate-500">No requests yet.</p>;
  return (
    <>
      {error && <p className="mb-2 text-xs text-red-700">{error}</p>}
      <ul className="divide-y divide-slate-100 text-sm">
        {data.map((a) => (
          <li key={a.id} className="flex items-center justify-between py-2" data-assignment={a.id}>
            <span>
              {props.credentialNames[a.cloud_credential_id] ?? a.cloud_credential_id}
              {props.reasons[a.id] && (a.state === "rejected" || a.state === "revoked") && (
                <span className="block text-xs text-slate-500" data-testid="assignment-reason">
                  {a.state === "rejected" ? "Rejected" : "Revoked"}: {props.reasons[a.id]}
                </span>
              )}
            </span>
            <span className="flex items-center gap-2">
              <span className="font-medium" data-testid="assignment-state">
                {a.state}
              </span>
              {props.mayDecide && a.state === "approved" && (
                <ConfirmDialog
                  trigger={
                    <button type="button" className={buttonClass.ghost} disabled={pending}>
                      Revoke
                    </button>
                  }
                  title="Revoke this assignment?"
                  description={
                    `This Project can no longer use ` +
                    `${props.credentialNames[a.cloud_credential_id] ?? "this credential"}. Using it again takes a new request and approval.`
                  }
                  confirmLabel="Revoke assignment"
                  destructive
                  onConfirm={() => revoke(a.id)}
                />
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
