import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { rotateToken } from "@/lib/tokens/service";

export const POST = apiRoute<{ id: string }>(async ({ caller, params }) => {
  const token = await rotateToken(caller.user, params.id, caller.via === "bearer" ? caller.token : undefined);
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
