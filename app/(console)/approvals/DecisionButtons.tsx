"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field, describedBy } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { buttonClass, inputClass } from "@/components/controls";
import { decideApprovalAction } from "@/lib/approvals/actions";
import { REASON_MAX } from "@/lib/limits";

/** Approve and reject both ask first; a rejection carries a reason the requester sees on the Project's page. */
export function DecisionButtons(props: { approvalId: string; label: string; requester: string; subject: string; project: string }) {
  const { error, confirm } = useAction(decideApprovalAction);
  const [reasonError, setReasonError] = useState<string>();
  const reasonId = `reason-${props.approvalId}`;
  const decide = (decision: "approve" | "reject", reason?: string) =>
    confirm(
      { approvalId: props.approvalId, decision, reason },
      decision === "approve" ? `Approved: ${props.subject} for ${props.project}.` : `Rejected ${props.requester}'s request.`,
    );
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <ConfirmDialog
          trigger={
            <button type="button" className={buttonClass.primary} aria-label={`Approve ${props.label}`}>
              Approve
            </button>
          }
          title="Approve this request?"
          description={
            <>
              {props.requester} will be able to use <span className="font-medium">{props.subject}</span> in{" "}
              <span className="font-medium">{props.project}</span> until it or the assignment is revoked.
            </>
          }
          confirmLabel="Approve"
          onConfirm={() => decide("approve")}
        />
        <ConfirmDialog
          trigger={
            <button type="button" className={buttonClass.secondary} aria-label={`Reject ${props.label}`}>
              Reject
            </button>
          }
          title="Reject this request?"
          description={
            <>
              {props.requester} asked to use <span className="font-medium">{props.subject}</span> in{" "}
              <span className="font-medium">{props.project}</span>. They will see your reason.
            </>
          }
          confirmLabel="Reject"
          destructive
          onConfirm={async (form) => {
            const reason = String(form.get("reason") ?? "").trim();
            if (!reason) {
              setReasonError("Give a reason; the requester sees it.");
              return false;
            }
            setReasonError(undefined);
            return decide("reject", reason);
          }}
        >
          <Field id={reasonId} label="Reason" hint="Shown to the requester and kept in the audit trail." error={reasonError}>
            <input
              id={reasonId}
              name="reason"
              maxLength={REASON_MAX}
              className={inputClass}
              aria-invalid={Boolean(reasonError)}
              aria-describedby={describedBy(reasonId, reasonError)}
            />
          </Field>
        </ConfirmDialog>
      </div>
      {error && (
        <p className="text-xs text-red-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
