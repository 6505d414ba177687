import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { deviceApproveRequestSchema } from "@/lib/api/schemas";
import { deny } from "@/lib/audit/service";
import { approveDevice } from "@/lib/auth/device";

/** The signed-in caller (cookie with CSRF, or bearer) lends their identity to the waiting CLI. */
export const POST = route({
  authorize: async (caller) => {
    // Approving mints a new token; a rotated-out plaintext must not be able to do that (as with POST /v1/auth/tokens).
    if (caller.via === "bearer" && caller.token.retiring)
      throw await deny(caller.user.id, "device.approve", { type: "device_code", id: "user_code" });
    // Approved by bearer, the device token is that token's child: no longer-lived, and revoked with it.
    return caller.via === "bearer" ? { ...caller.user, viaTokenId: caller.token.id } : caller.user;
  },
  body: deviceApproveRequestSchema,
  handle: async ({ permit, body }) => {
    await approveDevice(permit, body.user_code);
    return json({ status: "approved" });
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
