"use server";

import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { verifyAuditTrail } from "./verify";

export type ChainVerdictView = {
  ok: true;
  intact: boolean;
  from: string;
  to: string;
  divergentSeq: string | null;
  expectedHash: string | null;
  observedHash: string | null;
  refusedEntryId: string | null;
  checkedAt: string;
};

/** The Audit page's "Verify hash chain": the same check as POST /v1/domains/{id}/audit/verify, seqs as strings for the client. */
export async function verifyAuditChainAction(): Promise<ChainVerdictView | FormFailure> {
  const user = await requireActionUser();
  try {
    const verdict = await verifyAuditTrail(user, DEFAULT_DOMAIN_ID);
    return {
      ok: true,
      intact: verdict.ok,
      from: verdict.segmentFrom.toString(),
      to: verdict.segmentTo.toString(),
      divergentSeq: verdict.divergentSeq?.toString() ?? null,
      expectedHash: verdict.expectedHash,
      observedHash: verdict.observedHash,
      refusedEntryId: verdict.refusedEntryId,
      checkedAt: new Date().toISOString(),
    };
  } catch (error) {
    return formFailure(error, "verifyAuditChain");
  }
}
