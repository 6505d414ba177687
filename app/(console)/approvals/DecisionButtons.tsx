"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { buttonClass, inputClass } from "@/components/ui";
import { decideAssignmentAction } from "@/lib/projects/actions";

/** One-click approve; reject with an optional reason. */
export function DecisionButtons(props: { assignmentId: string; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const decide = (decision: "approve" | "reject") =>
    startTransition(async () => {
      const result = await decideAssignmentAction(props.assignmentId, decision, decision === "reject" ? reason : undefined);
      if (!result.ok) setError(result.formError ?? "Nothing changed.");
      else router.refresh();
    });
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <button type="button" className={buttonClass.primary} disabled={pending} onClick={() => decide("approve")} aria-label={`Approve ${props.label}`}>
          Approve
        </button>
        <button type="button" className={buttonClass.secondary} disabled={pending} onClick={() => decide("reject")} aria-label={`Reject ${props.label}`}>
          Reject
        </button>
      </div>
      <label className="sr-only" htmlFor={`reason-${props.assignmentId}`}>
        Reason for rejecting (optional)
      </label>
      <input
        id={`reason-${props.assignmentId}`}
        placeholder="Reason for rejecting (optional)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        className={`${inputClass} w-64`}
      />
      {error && <p className="text-xs text-red-700">{error}</p>}
    </div>
  );
}
