import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { SMTPServer } from "smtp-server";
import { cast, createCloud, expect, query, signIn, test } from "./fixtures";

// The servers under test mail through SMTP_URL = smtp://127.0.0.1:<E2E_PORT_BASE + 31> (scripts/test-e2e.mjs);
// this spec is that mail server, and the webhook receiver on base + 32.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3100);
const SMTP_PORT = portBase + 31;
const WEBHOOK_PORT = portBase + 32;

const mails: { to: string[]; raw: string }[] = [];
/** The message as read: quoted-printable soft breaks and escapes undone. */
const readable = (raw: string) =>
  raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const hooks: { signature?: string; body: string }[] = [];
let smtp: SMTPServer;
let receiver: Server;

test.beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((ready) => smtp.listen(SMTP_PORT, "127.0.0.1", ready));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push({ signature: req.headers["x-plexsphere-signature"] as string | undefined, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => receiver.listen(WEBHOOK_PORT, "127.0.0.1", ready));
});

test.afterAll(async () => {
  await new Promise<void>((closed) => smtp.close(() => closed()));
  await new Promise<void>((closed) => receiver.close(() => closed()));
});

test("a Cloud's manager turns on reminders; the digest arrives by mail and webhook once, names the credential and holds no secret", async ({
  page,
  target,
}) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page, { name: "Reminded cloud" });
  const secret = `ReminderCanary${Math.random().toString(36).slice(2)}${"x".repeat(40)}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  await page.getByLabel("Display name").fill("Expiring soon key");
  await page.getByLabel("Secret payload").fill(`{"access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"${secret}"}`);
  await page.getByLabel("Expires on (optional)").fill(new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page).toHaveURL(/\/credentials\/[0-9a-f-]{36}\?issued=1$/);
  const credentialId = page.url().split("/").pop()!.split("?")[0];

  await page.goto(`/clouds/${cloud.id}`);
  const form = page.getByRole("form", { name: "Expiry reminders" });
  await form.getByLabel("Webhook URL (optional)").fill("ftp://hooks.example.com/x");
  await form.getByLabel("Send expiry reminders").check();
  await form.getByRole("button", { name: "Save reminders" }).click();
  const urlError = form.locator('[data-field-error="reminder_webhook_url"]');
  await expect(urlError).toContainText("http:// or https:// URL");
  await expect(form.getByLabel("Webhook URL (optional)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Webhook URL (optional)")).toHaveValue("ftp://hooks.example.com/x");
  // The host is checked on the server before anything is saved (an internal address is refused the same way,
  // unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true, which these servers set for the loopback receiver below).
  await form.getByLabel("Webhook URL (optional)").fill("https://hooks.plexsphere.invalid/x");
  await form.getByRole("button", { name: "Save reminders" }).click();
  await expect(urlError).toContainText("does not resolve");
  await expect(form.getByLabel("Webhook URL (optional)")).toHaveValue("https://hooks.plexsphere.invalid/x");

  const signingSecret = `whsec-${Math.random().toString(36).slice(2)}`;
  await form.getByLabel("Days ahead").fill("7");
  await form.getByLabel("Webhook URL (optional)").fill(`http://127.0.0.1:${WEBHOOK_PORT}/hook`);
  await form.getByLabel("Webhook signing secret").fill(signingSecret);
  await form.getByRole("button", { name: "Save reminders" }).click();
  await expect(form.getByLabel("Webhook signing secret")).toHaveValue("");
  await expect(form.getByText("Set. Leave blank to keep it")).toBeVisible();

  // The server's reminder timer ticks every second in this suite.
  await expect.poll(() => mails.filter((m) => m.raw.includes(cloud.id)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => hooks.filter((h) => h.body.includes(cloud.id)).length, { timeout: 30_000 }).toBe(1);
  const mail = mails.find((m) => m.raw.includes(cloud.id))!;
  expect(mail.to).toContain(cast.operator);
  expect(readable(mail.raw)).toContain("Expiring soon key");
  expect(readable(mail.raw)).toContain(`/credentials/${credentialId}`);
  for (const text of [mail.raw, readable(mail.raw)]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString("base64"));
  }
  const hook = hooks.find((h) => h.body.includes(cloud.id))!;
  expect(hook.signature).toBe(`sha256=${createHmac("sha256", signingSecret).update(hook.body).digest("hex")}`);
  expect(JSON.parse(hook.body).credentials).toEqual([expect.objectContaining({ id: credentialId, display_name: "Expiring soon key" })]);
  expect(hook.body).not.toContain(secret);

  // One mail (the Cloud's one manager) and one webhook call, each claimed and audited once, however many ticks pass.
  const count = async (sql: string) => (await query<{ n: number }>(target, sql, [cloud.id]))[0].n;
  await expect.poll(() => count("SELECT count(*)::int AS n FROM audit_entries WHERE cloud_id = $1 AND action = 'reminder.sent'")).toBe(2);
  expect(await count("SELECT count(*)::int AS n FROM reminder_sends WHERE cloud_id = $1")).toBe(2);
  expect(hooks.filter((h) => h.body.includes(cloud.id))).toHaveLength(1);
  expect(mails.filter((m) => m.raw.includes(cloud.id))).toHaveLength(1);
  const dump = JSON.stringify(await query(target, "SELECT * FROM cloud_reminder_settings WHERE cloud_id = $1", [cloud.id]));
  expect(dump).not.toContain(signingSecret);

  await page.goto(`/audit?cloud_id=${cloud.id}&action=reminder.sent`);
  await expect(page.locator('tr[data-action="reminder.sent"]').first()).toContainText("Expiry reminder sent");
});
