import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { ValidationError } from "@/lib/errors";
import { activeBindings, bindingToChooser } from "@/lib/sso/bindings";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

/**
 * The sign-in chooser: active bindings, display-safe, primary first. By Domain (`domain_id`: another Domain id answers the
 * same shape, empty), or `scope=platform` for the platform-shared ones; scope wins when both are given, neither is [].
 */
export const GET = publicRoute({
  handle: async ({ query }) => {
    const scope = query.get("scope");
    const domainId = query.get("domain_id");
    if (scope !== null) {
      if (scope !== "platform") throw new ValidationError("invalid_scope", "scope must be platform");
      return json((await activeBindings({ platformOnly: true })).map(bindingToChooser));
    }
    if (domainId === null) return json([]);
    if (!isUuid(domainId)) throw new ValidationError("invalid_domain_id", "domain_id must be a UUID");
    if (!isKnownDomain(domainId)) return json([]);
    return json((await activeBindings()).map(bindingToChooser));
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
