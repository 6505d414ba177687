import { json, methodsNotAllowed, RAW, route, signedIn } from "@/lib/api/route";
import { rotateToken } from "@/lib/tokens/service";

/** The service finds the token among the caller's own; any other id, well-formed or not, is its 404. */
export const POST = route({
  params: { id: RAW },
  authorize: signedIn,
  handle: async ({ permit, ids, caller }) => {
    const token = await rotateToken(permit, ids.id, caller.via === "bearer" ? caller.token : undefined);
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
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
