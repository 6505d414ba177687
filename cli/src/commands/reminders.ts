import type { Command } from "commander";
import { unwrap } from "../client";
import { context, positiveInt, withCommon, type CommonOptions } from "../context";
import { usage } from "../errors";
import { readSecretText } from "../secrets";

type SetOptions = CommonOptions & {
  enable?: boolean;
  disable?: boolean;
  days?: number;
  email?: boolean;
  webhook?: string | false;
  webhookSecretFile?: string;
  clearWebhookSecret?: boolean;
};

/** `plexctl cloud reminders get|set`: the Cloud page's expiry reminder settings (cloud#manage). */
export function registerReminders(cloud: Command): void {
  const reminders = cloud.command("reminders").description("a Cloud's daily expiry reminders: email its managers and/or POST a webhook");

  withCommon(reminders.command("get").description("the Cloud's reminder settings (cloud#manage)").argument("<cloud-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await ctx.out(await unwrap(ctx.api.GET("/v1/clouds/{id}/reminders", { params: { path: { id } } })));
    },
  );

  withCommon(
    reminders
      .command("set")
      .description("change the settings; what you leave out stays as it is")
      .argument("<cloud-id>")
      .option("--enable", "send reminders")
      .option("--disable", "stop sending reminders")
      .option("--days <n>", "how many days ahead a digest looks (1–90)", positiveInt)
      .option("--email", "email the Cloud's managers")
      .option("--no-email", "do not email")
      .option("--webhook <url>", "POST the digest to this public http(s) URL")
      .option("--no-webhook", "remove the webhook")
      .option("--webhook-secret-file <path|->", "the webhook's signing secret, from a file or - for stdin (never an argument)")
      .option("--clear-webhook-secret", "remove the signing secret"),
  ).action(async (id: string, options: SetOptions) => {
    if (options.enable && options.disable) throw usage("--enable and --disable contradict each other");
    const secret = options.webhookSecretFile ? readSecretText(options.webhookSecretFile, "--webhook-secret-file") : undefined;
    const ctx = context(options);
    const current = await unwrap(ctx.api.GET("/v1/clouds/{id}/reminders", { params: { path: { id } } }));
    const body = {
      enabled: options.enable ? true : options.disable ? false : current.enabled,
      days_ahead: options.days ?? current.days_ahead,
      email: options.email ?? current.email,
      webhook_url: options.webhook === false ? null : (options.webhook ?? current.webhook_url),
      ...(secret !== undefined ? { webhook_secret: secret } : {}),
      ...(options.clearWebhookSecret ? { clear_webhook_secret: true } : {}),
    };
    await ctx.out(await unwrap(ctx.api.PUT("/v1/clouds/{id}/reminders", { params: { path: { id } }, body })));
  });
}
