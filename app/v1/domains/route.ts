import { parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { domainToWire } from "@/lib/api/wire";
import { DEFAULT_DOMAIN } from "@/lib/tenancy/domain";
import { DomainError } from "@/lib/errors";

/** Every signed-in caller belongs to the one Domain, so every caller sees it; a single page, never a cursor. */
export const GET = route({
  authorize: signedIn,
  handle: async ({ query }) => {
    parseLimit(query.get("limit"));
    // We never hand out a cursor here, so any cursor is one we did not mint.
    if (query.get("cursor") !== null) throw new DomainError("invalid_cursor", "the cursor is malformed or was tampered with", 400);
    return json({ items: [domainToWire(DEFAULT_DOMAIN)] });
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
