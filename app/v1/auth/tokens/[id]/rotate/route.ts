import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { deny } from "@/lib/audit/service";
import { rotateToken } from "@/lib/tokens/service";

export const POST = apiRoute<{ id: string }>(async ({ caller, params }) => {
  // The plaintext being retired cannot rotate again: that would take the token back from its new holder.
  if (caller.via === "bearer" && caller.token.retiring) throw await deny(caller.user.id, "token.rotate", { type: "api_token", id: params.id });
  const token = await rotateToken(caller.user, params.id);
  return json(
    {
      id: token.id,
      plaintext: token.plaintext,
      env_prefix: token.envPrefix,
      expires_at: token.expiresAt.toISOString(),
      rotation_deadline: token.sunset.toISOString(),
    },
    200,
    { sunset: token.sunset.toUTCString() },
  );
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
