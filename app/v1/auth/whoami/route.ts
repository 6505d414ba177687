import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";

export const GET = apiRoute(async ({ caller }) =>
  json({
    principal_type: "user",
    principal_scope: "platform",
    subject: caller.user.id,
    email: caller.user.email,
    amr: [caller.via === "bearer" ? "token" : "pwd"],
  }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
