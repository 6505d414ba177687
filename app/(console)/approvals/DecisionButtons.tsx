"use client";

import { useState } from "react";
import { buttonClass, inputClass } from "@/components/ui";
import { useServerAction } from "@/components/useServerAction";
import { decideAssignmentAction } from "@/lib/projects/actions";

/** One-click approve; reject with an optional reason. */
export function DecisionButtons(props: { assignmentId: string; label: string }) {
  const { pending, error, run } = useServerAction();
  const [reason, setReason] = useState("");
  const decide = (decision: "approve" | "reject") =>
    run(() => decideAssignmentAction(props.assignmentId, decision, decision === "reject" ? reason : undefined));
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
