import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { ValidationError } from "@/lib/errors";
import { activeBindings, bindingToChooser } from "@/lib/sso/bindings";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

/** The sign-in chooser: active bindings, display-safe, primary first. Another Domain id answers the same shape (empty). */
export const GET = publicRoute({
  handle: async ({ query }) => {
    const domainId = query.get("domain_id");
    if (domainId === null || !isUuid(domainId)) throw new ValidationError("invalid_domain_id", "domain_id is required and must be a UUID");
    if (!isKnownDomain(domainId)) return json([]);
    return json((await activeBindings()).map(bindingToChooser));
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
