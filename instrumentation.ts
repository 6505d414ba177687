// Runs once when the Next.js server starts, before it serves a request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { guardHttpServers } = await import("./lib/http/edge");
  guardHttpServers();
  const { boot } = await import("./lib/boot");
  await boot();
  const { guardClientAddress } = await import("./lib/auth/client-address");
  guardClientAddress();
  // Last: /v1 requests go straight to their handlers only once the database and the guards are in place.
  const { startApiDispatch } = await import("./lib/http/api-dispatch");
  startApiDispatch();
}
