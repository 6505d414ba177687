"use server";

import { action } from "@/lib/actions";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { verifyAuditTrail } from "./verify";

/** The Audit page's "Verify hash chain": the same check as POST /v1/domains/{id}/audit/verify, seqs as strings for the client. */
export const verifyAuditChainAction = action({ name: "verifyAuditChain" }, async ({ user }) => {
  const verdict = await verifyAuditTrail(user, DEFAULT_DOMAIN_ID);
  return {
    intact: verdict.ok,
    from: verdict.segmentFrom.toString(),
    to: verdict.segmentTo.toString(),
    divergentSeq: verdict.divergentSeq?.toString() ?? null,
    expectedHash: verdict.expectedHash,
    observedHash: verdict.observedHash,
    refusedEntryId: verdict.refusedEntryId,
    checkedAt: new Date().toISOString(),
  };
});

export type ChainVerdictView = Extract<Awaited<ReturnType<typeof verifyAuditChainAction>>, { ok: true }>;
