import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { apiTokenIssueRequestSchema } from "@/lib/api/schemas";
import { tokenToWire } from "@/lib/api/wire";
import { deny } from "@/lib/audit/service";
import { issueToken, listTokensPage } from "@/lib/tokens/service";

/** A caller mints tokens for themselves only; the plaintext is in this response and nowhere else, ever. */
export const POST = route({
  authorize: signedIn,
  body: apiTokenIssueRequestSchema,
  handle: async ({ permit, body, caller }) => {
    // Whom the token is for is in the body, so this refusal can only come after it is read; minting for yourself needs no permission.
    if (body.identity_ref.toLowerCase() !== `user:${permit.id}` || (caller.via === "bearer" && caller.token.retiring)) {
      // A rotated-out plaintext must not be able to mint its own successor.
      throw await deny(permit.id, "token.issue", { type: "identity", id: body.identity_ref });
    }
    const token = await issueToken(permit, {
      name: body.name,
      envPrefix: body.env_prefix,
      ttlSeconds: body.ttl_seconds,
      // A token minted with a token never outlives it, nor survives its revocation.
      parentTokenId: caller.via === "bearer" ? caller.token.id : undefined,
    });
    // No Location: a token has no by-id read (the contract declares none; /v1/auth/tokens/{id} only deletes).
    return json({ id: token.id, plaintext: token.plaintext, env_prefix: token.envPrefix, expires_at: token.expiresAt.toISOString() }, 201);
  },
});

export const GET = route({
  authorize: signedIn,
  handle: async ({ permit }) => json((await listTokensPage(permit, { limit: 200 })).items.map(tokenToWire)),
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
