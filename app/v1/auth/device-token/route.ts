import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { deviceTokenRequestSchema } from "@/lib/api/schemas";
import { pollDeviceToken } from "@/lib/auth/device";

/** The CLI's poll: the token once approved, else the RFC 8628 error in the problem's `code`. */
export const POST = publicRoute({
  body: deviceTokenRequestSchema,
  handle: async ({ body }) => {
    const token = await pollDeviceToken(body.device_code);
    return json({ access_token: token.accessToken, token_type: "Bearer", expires_in: token.expiresIn });
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
