import { chainEntryProofToWire, chainEntryToWire } from "@/lib/api/audit-chain-wire";
import { auditEraseIdentityRequestSchema } from "@/lib/api/audit-chain-schemas";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, RAW, route } from "@/lib/api/route";
import { authorizeAuditChainRead, authorizeAuditEntryRead, type ChainAddress } from "@/lib/audit/chain-read";
import { authorizeIdentityErasure } from "@/lib/audit/erase";
import { chainFiltersFrom } from "@/lib/audit/filters";
import { DomainError } from "@/lib/errors";

/**
 * The chain reads and erase-identity, declared once for both addresses
 * (app/v1/domains/[id]/audit/… and app/v1/platform/audit/…): each route file
 * is one line naming its address.
 */
type AddressOf = (ids: Record<string, string>) => ChainAddress;
export const domainAddress: AddressOf = (ids) => ({ domainId: ids.id });
export const platformAddress: AddressOf = () => ({ platform: true });

const SEQ = /^[1-9][0-9]{0,17}$/;

function parseSeq(value: string): bigint {
  if (!SEQ.test(value)) throw new DomainError("invalid_seq", "seq must be a whole number from 1", 400);
  return BigInt(value);
}

export function chainListRoute(address: AddressOf, params: Record<string, typeof RAW>) {
  return {
    GET: route({
      params,
      authorize: (caller, ids) => authorizeAuditChainRead(caller.user, address(ids)),
      handle: async ({ permit, caller, query }) => {
        const limit = parseLimit(query.get("limit"));
        const cursor = query.get("cursor");
        const list = `audit-chain:${permit.chain}`;
        const after = cursor ? BigInt(await decodeCursor<string>(caller.user.id, list, cursor)) : undefined;
        const page = await permit.list(chainFiltersFrom(query), { limit, afterSeq: after });
        return json({
          items: page.items.map(chainEntryToWire),
          ...(page.next !== undefined ? { next_cursor: await encodeCursor(caller.user.id, list, page.next.toString()) } : {}),
        });
      },
    }),
    ...methodsNotAllowedExcept("GET"),
  };
}

export function chainEntryRoute(address: AddressOf, params: Record<string, typeof RAW>) {
  return {
    GET: route({
      params: { ...params, seq: RAW },
      authorize: (caller, ids) => authorizeAuditEntryRead(caller.user, address(ids)),
      handle: async ({ permit, ids }) => json(chainEntryProofToWire(await permit.entry(parseSeq(ids.seq)))),
    }),
    ...methodsNotAllowedExcept("GET"),
  };
}

export function eraseIdentityRoute(address: AddressOf, params: Record<string, typeof RAW>) {
  return {
    POST: route({
      params,
      authorize: (caller, ids) => authorizeIdentityErasure(caller.user, address(ids)),
      body: auditEraseIdentityRequestSchema,
      handle: async ({ permit, body }) => permit.erase(body.identity_id),
    }),
    ...methodsNotAllowedExcept("POST"),
  };
}

function methodsNotAllowedExcept(allowed: "GET" | "POST") {
  const { GET, POST, PUT, PATCH, DELETE } = methodsNotAllowed([allowed]);
  return allowed === "GET" ? { POST, PUT, PATCH, DELETE } : { GET, PUT, PATCH, DELETE };
}
