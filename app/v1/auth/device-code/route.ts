import { consoleOrigin } from "@/lib/api/authenticate";
import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { deviceCodeRequestSchema } from "@/lib/api/schemas";
import { clientAddress } from "@/lib/auth/client-address";
import { startDeviceAuthorization } from "@/lib/auth/device";

/** Anonymous by design (RFC 8628 §3.1): the codes grant nothing until a signed-in person approves them; throttled per client address. */
export const POST = publicRoute({
  body: deviceCodeRequestSchema,
  handle: async ({ body, request }) => {
    const started = await startDeviceAuthorization({
      clientId: body.client_id,
      userAgent: request.headers.get("user-agent") ?? undefined,
      address: clientAddress(request.headers),
    });
    const verification = `${consoleOrigin(request) ?? new URL(request.url).origin}/device`;
    return json({
      device_code: started.deviceCode,
      user_code: started.userCode,
      verification_uri: verification,
      verification_uri_complete: `${verification}?user_code=${started.userCode}`,
      expires_in: started.expiresIn,
      interval: started.interval,
    });
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
