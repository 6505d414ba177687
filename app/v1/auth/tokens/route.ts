import { readBody } from "@/lib/api/parse";
import { permissionDenied } from "@/lib/api/problem";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { apiTokenIssueRequestSchema } from "@/lib/api/schemas";
import { tokenToWire } from "@/lib/api/wire";
import { issueToken, listTokens } from "@/lib/tokens/service";

/** A caller mints tokens for themselves only; the plaintext is in this response and nowhere else, ever. */
export const POST = apiRoute(async ({ request, caller }) => {
  const body = await readBody(request, apiTokenIssueRequestSchema);
  if (body.identity_ref.toLowerCase() !== `user:${caller.user.id}`) return permissionDenied(request, "tokens can be issued only for yourself");
  const token = await issueToken(caller.user, { envPrefix: body.env_prefix, ttlSeconds: body.ttl_seconds });
  return json(
    { id: token.id, plaintext: token.plaintext, env_prefix: token.envPrefix, expires_at: token.expiresAt.toISOString() },
    201,
    { location: `/v1/auth/tokens/${token.id}` },
  );
});

export const GET = apiRoute(async ({ caller }) => json((await listTokens(caller.user)).map(tokenToWire)));

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
