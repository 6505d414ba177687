import assert from "node:assert/strict";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { createCloud, deleteCloud } from "@/lib/clouds/service";
import { authorizeIssue } from "@/lib/credentials/issue";
import { PermissionDeniedError } from "@/lib/errors";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { countCanary, dumpDatabase } from "@/testing/canary";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl, uniqueSlug } from "@/testing/database";
import { reminderSettingsRequestSchema, reminderSettingsSchema } from "./schema";
import { runReminderPass } from "./service";
import { authorizeReminderSettings, type ReminderSettingsPermit } from "./settings";
import { SIGNATURE_HEADER, webhookSecretPath } from "./webhook";

/** The settings form's path through the permit: cloud#manage and the Cloud first, then the update. */
async function updateReminderSettings(
  actor: { id: string },
  cloudId: string,
  input: Parameters<ReminderSettingsPermit["update"]>[0],
  options?: Parameters<ReminderSettingsPermit["update"]>[1],
) {
  return (await authorizeReminderSettings(actor, cloudId)).update(input, options);
}

/** A real SMTP server on loopback that keeps every message it accepts, raw. */
async function startSmtp() {
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const port = (server.server.address() as AddressInfo).port;
  return { messages, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((closed) => server.close(() => closed())) };
}

/** A loopback webhook receiver answering `status` (changeable). */
async function startReceiver() {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const state = { status: 204 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    state,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** The message as read: quoted-printable soft breaks and escapes undone. */
const readable = (raw: string) =>
  raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const FROM = "plexsphere <reminders@test.example>";
const DAY = 86_400_000;

/** A Cloud whose creator manages it, with one credential expiring in 3 days (its secret a known canary) and one in 60. */
async function givenCloud(store: EmbeddedSecretStore) {
  const operator = await createTestUser({ platformAdmin: true, label: "operator" });
  const cloud = await createCloud(operator, {
    display_name: "Billing prod",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const canary = randomBytes(30).toString("base64");
  const issuer = await authorizeIssue(operator, cloud.id, { store });
  const payload = (n: number) =>
    new TextEncoder().encode(JSON.stringify({ access_key_id: `AKIA${"A".repeat(15)}${n}`, secret_access_key: canary }));
  const soon = await issuer.issue({
    displayName: "deploy-key-soon",
    payload: payload(1),
    keyValues: { note: canary },
    expiresAt: new Date(Date.now() + 3 * DAY),
  });
  const later = await issuer.issue({
    displayName: "deploy-key-later",
    payload: payload(2),
    keyValues: {},
    expiresAt: new Date(Date.now() + 60 * DAY),
  });
  return { operator, cloud, canary, soon, later };
}

const settings = (over: Record<string, unknown> = {}) =>
  reminderSettingsSchema.parse({ enabled: true, days_ahead: 14, email: true, webhook_url: "", ...over });

describe("expiry reminders", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let store: EmbeddedSecretStore;
  before(async () => {
    store = new EmbeddedSecretStore(await testDatabase(), randomBytes(32));
    smtp = await startSmtp();
    receiver = await startReceiver();
  });
  after(async () => {
    await smtp.close();
    await receiver.close();
    await closeTestDatabase();
  });

  test("a webhook URL that is not a URL is a field message on the form and /v1, never a thrown error", () => {
    for (const url of ["not a url", "http://", "://x", "https://[::1", "javascript:alert(1)"]) {
      const form = reminderSettingsSchema.safeParse({ enabled: true, days_ahead: 7, email: true, webhook_url: url });
      assert.equal(form.success, false, url);
      assert.ok(
        form.error!.issues.every((i) => i.path[0] === "webhook_url"),
        url,
      );
      assert.equal(
        reminderSettingsRequestSchema.safeParse({ enabled: true, days_ahead: 7, email: true, webhook_url: url }).success,
        false,
        url,
      );
    }
  });

  test("a manager receives the digest through SMTP: it names the expiring credential, and no byte of its secret", async () => {
    const db = await testDatabase();
    const { operator, cloud, canary, soon, later } = await givenCloud(store);
    // A second manager through a group: group members hold what the group holds.
    const member = await createTestUser({ label: "member" });
    const group = await db.group.create({ data: { id: randomUUID(), slug: uniqueSlug("team"), displayName: "Team", source: "manual" } });
    await db.groupMember.create({ data: { groupId: group.id, userId: member.id, source: "manual" } });
    await db.relationTuple.create({
      data: { id: randomUUID(), objectType: "cloud", objectId: cloud.id, relation: "manage", subjectType: "group", subjectId: group.id },
    });
    await updateReminderSettings(operator, cloud.id, settings(), { store });

    const before = smtp.messages.length;
    const report = await runReminderPass({
      smtp: { url: smtp.url, from: FROM },
      anyHour: true,
      cloudIds: [cloud.id],
      store,
      baseUrl: "https://console.test",
    });
    assert.deepEqual(report, { clouds: 1, sent: 2, failed: 0, alreadySent: 0 });
    const mails = smtp.messages.slice(before);
    assert.deepEqual(mails.map((m) => m.to[0]).sort(), [member.email, operator.email].sort());
    for (const mail of mails) {
      const text = readable(mail.raw);
      assert.match(text, /deploy-key-soon/);
      assert.match(text, /Subject: \[plexsphere\] 1 credential of Billing prod expires within 14 days/);
      assert.ok(text.includes(soon.id), "names the credential's id");
      assert.ok(text.includes(`https://console.test/credentials/${soon.id}`), "links to it");
      assert.ok(!text.includes(later.id), "a credential expiring after the window is not listed");
      assert.equal(countCanary(mail.raw, canary) + countCanary(text, canary), 0, "no form of the secret is in the message");
    }
    const entries = await db.auditEntry.findMany({ where: { cloudId: cloud.id, action: "reminder.sent" } });
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => e.outcome === "succeeded" && e.targetType === "cloud" && e.targetId === cloud.id && e.actorId === null));
  });

  test("at most once a day per Cloud and recipient, even when passes run at once; the next day it goes again", async () => {
    const db = await testDatabase();
    const { operator, cloud } = await givenCloud(store);
    await updateReminderSettings(operator, cloud.id, settings(), { store });
    const now = new Date();
    const pass = (at: Date) =>
      runReminderPass({ now: at, smtp: { url: smtp.url, from: FROM }, anyHour: true, cloudIds: [cloud.id], store });
    const before = smtp.messages.length;
    const reports = await Promise.all([pass(now), pass(now), pass(now)]);
    assert.equal(
      reports.reduce((n, r) => n + r.sent, 0),
      1,
      "three passes at once send one mail",
    );
    assert.equal((await pass(new Date(now.getTime() + 60_000))).alreadySent, 1, "a later pass that day sends nothing");
    assert.equal(smtp.messages.length - before, 1);
    assert.equal((await pass(new Date(now.getTime() + DAY))).sent, 1, "the next day's digest goes out");
    assert.equal(smtp.messages.length - before, 2);
    assert.equal(await db.auditEntry.count({ where: { cloudId: cloud.id, action: "reminder.sent" } }), 2);
  });

  test("nothing is sent while reminders are off, before REMINDER_HOUR, or when nothing expires in the window", async () => {
    const { operator, cloud } = await givenCloud(store);
    const pass = (extra: object = {}) =>
      runReminderPass({ smtp: { url: smtp.url, from: FROM }, anyHour: true, cloudIds: [cloud.id], store, ...extra });
    await updateReminderSettings(operator, cloud.id, settings({ enabled: false }), { store });
    assert.equal((await pass()).sent, 0);
    await updateReminderSettings(operator, cloud.id, settings({ days_ahead: 1 }), { store });
    assert.equal((await pass()).sent, 0, "the credential expires in 3 days, outside a 1-day window");
    await updateReminderSettings(operator, cloud.id, settings(), { store });
    const early = new Date();
    early.setUTCHours(0, 30);
    assert.equal((await pass({ anyHour: false, now: early })).sent, 0, "00:30 UTC is before the default REMINDER_HOUR (7)");
  });

  test("the webhook gets the digest as signed JSON; its secret is in the SecretStore only; a refusal is audited and retried", async () => {
    const db = await testDatabase();
    const { operator, cloud, canary, soon } = await givenCloud(store);
    const signingSecret = `whsec-${randomBytes(16).toString("hex")}`;
    // The receiver listens on loopback: this test is a console configured with WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true.
    await updateReminderSettings(operator, cloud.id, settings({ email: false, webhook_url: receiver.url, webhook_secret: signingSecret }), {
      store,
      allowPrivateAddresses: true,
    });
    assert.equal(
      countCanary(await dumpDatabase(await testDatabaseUrl()), signingSecret),
      0,
      "the signing secret is not in the database in any form",
    );

    receiver.state.status = 500;
    const pass = () =>
      runReminderPass({
        smtp: { url: smtp.url, from: FROM },
        anyHour: true,
        cloudIds: [cloud.id],
        store,
        baseUrl: "https://console.test",
        allowPrivateAddresses: true,
      });
    const before = receiver.received.length;
    assert.deepEqual(await pass(), { clouds: 1, sent: 0, failed: 1, alreadySent: 0 });
    const failed = await db.auditEntry.findFirstOrThrow({ where: { cloudId: cloud.id, action: "reminder.failed" } });
    assert.equal(failed.outcome, "failed");
    assert.match(failed.reason ?? "", /HTTP 500/);

    receiver.state.status = 204;
    assert.deepEqual(await pass(), { clouds: 1, sent: 1, failed: 0, alreadySent: 0 }, "a failed send gives its claim back");
    assert.equal((await pass()).sent, 0);
    const hits = receiver.received.slice(before);
    assert.equal(hits.length, 2);
    const last = hits[1];
    assert.equal(last.headers[SIGNATURE_HEADER], `sha256=${createHmac("sha256", signingSecret).update(last.body).digest("hex")}`);
    const body = JSON.parse(last.body);
    assert.equal(body.cloud.id, cloud.id);
    assert.deepEqual(
      body.credentials.map((c: { id: string }) => c.id),
      [soon.id],
    );
    assert.equal(body.credentials[0].url, `https://console.test/credentials/${soon.id}`);
    assert.equal(countCanary(last.body, canary), 0);
    assert.equal(last.body.includes(signingSecret), false);
    assert.equal(await db.auditEntry.count({ where: { cloudId: cloud.id, action: "reminder.sent" } }), 1);
  });

  test("deleting a Cloud removes its reminder settings and destroys its webhook signing secret", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, {
      display_name: "Short-lived",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    await updateReminderSettings(operator, cloud.id, settings({ webhook_url: receiver.url, webhook_secret: "to-be-destroyed" }), {
      store,
      allowPrivateAddresses: true,
    });
    assert.ok(await store.read(webhookSecretPath(cloud.id)));
    await deleteCloud(operator, cloud.id);
    assert.equal(await db.cloudReminderSettings.count({ where: { cloudId: cloud.id } }), 0);
    assert.equal(await store.read(webhookSecretPath(cloud.id)), null);
  });

  test("only a Cloud's managers change its reminders", async () => {
    const { cloud } = await givenCloud(store);
    const stranger = await createTestUser({ label: "stranger" });
    await assert.rejects(
      updateReminderSettings(stranger, cloud.id, settings({ webhook_url: "https://attacker.example/x" }), { store }),
      PermissionDeniedError,
    );
    assert.equal(await (await testDatabase()).cloudReminderSettings.count({ where: { cloudId: cloud.id } }), 0);
  });

  test("by default a webhook URL that is or resolves to an internal address is refused when saved: 400 with a field message, nothing saved", async () => {
    const db = await testDatabase();
    const { operator, cloud } = await givenCloud(store);
    const internal = [
      "http://127.0.0.1:8080/hook",
      "http://localhost/hook",
      "http://2130706433/",
      "http://0x7f.0.0.1/",
      "http://0177.0.0.1/",
      "http://0/",
      "http://[::1]/",
      "http://[::]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
      "http://100.100.100.200/",
      "http://100.64.0.1/",
      "http://10.0.0.5/",
      "https://172.16.0.1/",
      "https://192.168.1.1/",
      "http://[fe80::1]/",
      "http://[64:ff9b::7f00:1]/",
      "http://[2002:7f00:1::1]/",
      // IPv4 inside IPv6, every spelling: mapped (the parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1]), translated, compatible, NAT64, 6to4, Teredo.
      "http://[::ffff:0:7f00:1]/",
      "http://[::ffff:0:127.0.0.1]/",
      "http://[::ffff:10.0.0.1]/",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::a00:1]/",
      "http://[2002:a00:1::]/",
      "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
      // Link-local with a zone id (the URL parser cannot read it), unique-local, multicast.
      "http://[fe80::1%25eth0]/",
      "http://[fe80::1%eth0]/",
      "http://[fe80::1%251]:8080/x",
      "http://[fc00::1]/",
      "http://[ff02::1]/",
      "http://224.0.0.1/",
      "http://0.1.2.3/",
      "http://100.127.255.254/",
      "http://169.254.0.1/",
      "http://127.1.2.3/",
      "http://0x7f.1/",
      "http://0x7f000001/",
      "http://017700000001/",
      // localhost and every name under it, trailing dots included, whatever a resolver says about them.
      "http://localhost./",
      "http://LOCALHOST:8080/",
      "http://hooks.localhost/",
      "http://hooks.localhost./",
      "http://127.0.0.1./",
    ];
    for (const url of internal) {
      await assert.rejects(
        updateReminderSettings(operator, cloud.id, settings({ webhook_url: url }), { store }),
        (error: { code?: string; status?: number; fieldErrors?: Record<string, string> }) => {
          assert.deepEqual([error.code, error.status], ["webhook_url_not_public", 400], url);
          assert.match(error.fieldErrors?.webhook_url ?? "", /public internet/, url);
          return true;
        },
      );
    }
    // A name is judged by every address it resolves to: one internal among public ones is enough.
    const mixed = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "10.1.2.3", family: 4 as const },
    ];
    await assert.rejects(
      updateReminderSettings(operator, cloud.id, settings({ webhook_url: "https://hooks.example.com/x" }), { store, resolve: mixed }),
      { code: "webhook_url_not_public" },
    );
    await assert.rejects(
      updateReminderSettings(operator, cloud.id, settings({ webhook_url: "https://hooks.example.com/x" }), {
        store,
        resolve: async () => Promise.reject(new Error("ENOTFOUND")),
      }),
      { code: "webhook_url_unresolvable", status: 400 },
    );
    // A name under localhost is refused even when a resolver would answer a public address for it.
    await assert.rejects(
      updateReminderSettings(operator, cloud.id, settings({ webhook_url: "https://a.localhost/x" }), {
        store,
        resolve: async () => [{ address: "93.184.215.14", family: 4 as const }],
      }),
      {
        code: "webhook_url_not_public",
      },
    );
    assert.equal(await db.cloudReminderSettings.count({ where: { cloudId: cloud.id } }), 0, "nothing was saved");

    const publicOnly = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 as const },
    ];
    const saved = await updateReminderSettings(operator, cloud.id, settings({ webhook_url: "https://hooks.example.com/x" }), {
      store,
      resolve: publicOnly,
    });
    assert.equal(saved.webhookUrl, "https://hooks.example.com/x");
  });

  test("the form's schema answers a field message, never an exception, for any URL a caller can type", () => {
    const field = (url: string) => {
      const parsed = reminderSettingsSchema.safeParse({ enabled: true, days_ahead: 14, email: true, webhook_url: url });
      return parsed.success ? "ok" : parsed.error.issues.map((i) => i.message).join(" ");
    };
    // Zoned IPv6 literals pass the form to the server, which refuses them as internal (above): not a parse failure, not a 500.
    for (const url of ["http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "https://[fe80::1%25en0]:8443/x"])
      assert.equal(field(url), "ok", url);
    for (const url of [
      "ftp://hooks.example.com/",
      "file:///etc/passwd",
      "gopher://127.0.0.1/",
      "javascript:alert(1)",
      "http://",
      "http://[::1/",
      "hooks.example.com/x",
    ]) {
      assert.match(field(url), /http:\/\/ or https:\/\//, url);
    }
    for (const url of ["http://evil@127.0.0.1/", "https://user:pass@hooks.example.com/", "http://a:b@[::1]/"])
      assert.match(field(url), /no credentials/, url);
  });

  test("the service refuses what the form would, for a caller that skips it (a non-http scheme, credentials in the URL): 400, nothing saved", async () => {
    const db = await testDatabase();
    const { operator, cloud } = await givenCloud(store);
    const base = settings();
    for (const url of [
      "ftp://hooks.example.com/",
      "file:///etc/passwd",
      "http://evil@127.0.0.1/",
      "https://user:pass@hooks.example.com/",
      "not a url",
    ]) {
      await assert.rejects(
        updateReminderSettings(operator, cloud.id, { ...base, webhook_url: url }, { store, allowPrivateAddresses: true }),
        { code: "invalid_webhook_url", status: 400 },
      );
    }
    assert.equal(await db.cloudReminderSettings.count({ where: { cloudId: cloud.id } }), 0);
  });

  test(
    "delivery resolves the host again and refuses an internal answer (a URL saved under another setting, " +
      "or DNS rebinding): audited, nothing sent",
    async () => {
      const db = await testDatabase();
      const { operator, cloud } = await givenCloud(store);
      const port = new URL(receiver.url).port;
      // Saved while the name answered a public address...
      let answer = "93.184.215.14";
      const resolve = async () => [{ address: answer, family: 4 as const }];
      await updateReminderSettings(operator, cloud.id, settings({ email: false, webhook_url: `http://hook.rebind.test:${port}/hook` }), {
        store,
        resolve,
      });
      // ...and at delivery it answers loopback.
      answer = "127.0.0.1";
      const before = receiver.received.length;
      const report = await runReminderPass({ anyHour: true, cloudIds: [cloud.id], store, resolve });
      assert.deepEqual([report.sent, report.failed], [0, 1]);
      assert.equal(receiver.received.length, before, "the receiver on loopback heard nothing");
      const failed = await db.auditEntry.findFirstOrThrow({ where: { cloudId: cloud.id, action: "reminder.failed" } });
      assert.equal(failed.reason, "webhook: WEBHOOK_ADDRESS_NOT_PUBLIC");

      // A literal internal URL already in the row (saved while WEBHOOK_ALLOW_PRIVATE_ADDRESSES was on) is refused the same way.
      await db.cloudReminderSettings.update({ where: { cloudId: cloud.id }, data: { webhookUrl: receiver.url } });
      assert.equal((await runReminderPass({ anyHour: true, cloudIds: [cloud.id], store })).failed, 1);
      // So are an IPv4-translated loopback and a zoned link-local address saved the same way: refused and audited, not a crashed pass.
      for (const url of [`http://[::ffff:0:7f00:1]:${port}/hook`, `http://[fe80::1%25lo]:${port}/hook`]) {
        await db.cloudReminderSettings.update({ where: { cloudId: cloud.id }, data: { webhookUrl: url } });
        assert.equal((await runReminderPass({ anyHour: true, cloudIds: [cloud.id], store })).failed, 1, url);
      }
      assert.equal(receiver.received.length, before);
    },
  );

  test("delivery connects to the address it checked: the name is resolved once and never again by the connection", async () => {
    const { operator, cloud } = await givenCloud(store);
    const port = new URL(receiver.url).port;
    const asked: string[] = [];
    // A name no DNS knows: the request can only arrive if it went to the address this resolver gave.
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      return [{ address: "127.0.0.1", family: 4 as const }];
    };
    const allowed = { store, resolve, allowPrivateAddresses: true };
    await updateReminderSettings(
      operator,
      cloud.id,
      settings({ email: false, webhook_url: `http://hook.pinned.test:${port}/hook` }),
      allowed,
    );
    asked.length = 0;
    const before = receiver.received.length;
    const report = await runReminderPass({ anyHour: true, cloudIds: [cloud.id], ...allowed });
    assert.equal(report.sent, 1);
    assert.deepEqual(asked, ["hook.pinned.test"], "resolved once, for the check");
    const [hit] = receiver.received.slice(before);
    assert.equal(hit.headers.host, `hook.pinned.test:${port}`, "the request still names its host");
  });
});
