// Runs once when Next's server starts, before it serves a request. Under the
// server entry (server.ts, `npm start`) the process has booted already and
// this does nothing; under `next dev` it is the boot.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot, bootStarted } = await import("./lib/boot");
  if (bootStarted()) return;
  await boot();
}
