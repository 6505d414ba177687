"use client";

import { useState } from "react";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass } from "@/components/controls";
import { verifyAuditChainAction, type ChainVerdictView } from "@/lib/audit/actions";

/**
 * Recomputes the audit trail's hash chain on request (each run is itself
 * recorded, so it is not done on every page view) and says whether any
 * entry was changed or removed behind the database's back.
 */
export function AuditChainVerdict() {
  const [verdict, setVerdict] = useState<ChainVerdictView>();
  // The verdict is this answer; nothing on the page's server data changed.
  const { pending, error, run } = useAction(verifyAuditChainAction, {
    onSuccess: setVerdict,
    onFailure: () => setVerdict(undefined),
    refresh: false,
  });
  return (
    <section aria-label="Hash chain" className="mb-4 flex flex-wrap items-start gap-3">
      <button type="button" className={buttonClass.secondary} disabled={pending} onClick={() => run({})}>
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
