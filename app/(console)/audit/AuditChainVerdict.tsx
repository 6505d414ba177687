"use client";

import { useState, useTransition } from "react";
import { Notice, buttonClass } from "@/components/controls";
import { verifyAuditChainAction, type ChainVerdictView } from "@/lib/audit/actions";

/**
 * Recomputes the audit trail's hash chain on request (each run is itself
 * recorded, so it is not done on every page view) and says whether any
 * entry was changed or removed behind the database's back.
 */
export function AuditChainVerdict() {
  const [pending, startTransition] = useTransition();
  const [verdict, setVerdict] = useState<ChainVerdictView>();
  const [error, setError] = useState<string>();
  return (
    <section aria-label="Hash chain" className="mb-4 flex flex-wrap items-start gap-3">
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            setError(undefined);
            const result = await verifyAuditChainAction({});
            if (result.ok) setVerdict(result);
            else setError(result.formError ?? "The chain could not be verified.");
          })
        }
      >
        {pending ? "Verifying…" : "Verify hash chain"}
      </button>
      <div role="status" className="min-w-0 flex-1" data-testid="audit-chain-verdict">
        {error && <Notice tone="error">{error}</Notice>}
        {verdict &&
          (verdict.intact ? (
            <Notice tone="success">
              Chain intact: entries {verdict.from} to {verdict.to} hash correctly and each links to its predecessor.
            </Notice>
          ) : verdict.refusedEntryId ? (
            <Notice tone="error">
              <p className="font-medium">Sealing stopped at entry {verdict.divergentSeq}: an entry the server did not write.</p>
              <p className="mt-1 break-all font-mono text-xs">
                entry {verdict.refusedEntryId} has no valid MAC; nothing after it is sealed until it is removed
              </p>
            </Notice>
          ) : (
            <Notice tone="error">
              <p className="font-medium">Tampering detected at entry {verdict.divergentSeq}.</p>
              <p className="mt-1 break-all font-mono text-xs">
                expected {verdict.expectedHash ?? "an entry here"}, found {verdict.observedHash ?? "none"}
              </p>
            </Notice>
          ))}
      </div>
    </section>
  );
}
