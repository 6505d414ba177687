import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { apiTokenIssueRequestSchema } from "@/lib/api/schemas";
import { tokenToWire } from "@/lib/api/wire";
import { deny } from "@/lib/audit/service";
import { issueToken, listTokensPage } from "@/lib/tokens/service";

/** A caller mints tokens for themselves only; the plaintext is in this response and nowhere else, ever. */
export const POST = apiRoute(async ({ request, caller }) => {
  const body = await readBody(request, apiTokenIssueRequestSchema);
  if (body.identity_ref.toLowerCase() !== `user:${caller.user.id}` || (caller.via === "bearer" && caller.token.retiring)) {
    // A rotated-out plaintext must not be able to mint its own successor.
    throw await deny(caller.user.id, "token.issue", { type: "identity", id: body.identity_ref });
  }
  const token = await issueToken(caller.user, {
    name: body.name,
    envPrefix: body.env_prefix,
    ttlSeconds: body.ttl_seconds,
    // A token minted with a token never outlives it, nor survives its revocation.
    parentTokenId: caller.via === "bearer" ? caller.token.id : undefined,
  });
  // No Location: a token has no by-id read (the contract declares none; /v1/auth/tokens/{id} only deletes).
  return json({ id: token.id, plaintext: token.plaintext, env_prefix: token.envPrefix, expires_at: token.expiresAt.toISOString() }, 201);
});

export const GET = apiRoute(async ({ caller }) => json((await listTokensPage(caller.user, { limit: 200 })).items.map(tokenToWire)));

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
