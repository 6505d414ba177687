import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnv, type LogLevel } from "./env";
import { withCorrelationId } from "./http/correlation";
import { createLogger, logTo, REDACTED, REDACTED_FIELDS } from "./log";

const CANARY = "canary-7f3c9e1d-never-in-a-log";

/** A logger at `level` whose lines land in the returned array, parsed. */
function capture(level: LogLevel = "info") {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line) });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, log: logTo(() => logger), raw, lines };
}

describe("log lines", () => {
  test("one JSON line per call: the level's name, an ISO time, the event and its fields", () => {
    const { log, raw, lines } = capture();
    log.info("credential.issued", { credential_id: "c-1", attempts: 2 });
    assert.equal(raw.length, 1);
    assert.ok(raw[0].endsWith("\n") && !raw[0].slice(0, -1).includes("\n"));
    // Scripts and specs find lines by this exact text.
    assert.ok(raw[0].includes('"event":"credential.issued"'));
    const [line] = lines();
    assert.equal(line.level, "info");
    assert.equal(new Date(String(line.time)).toISOString(), line.time);
    assert.deepEqual([line.event, line.credential_id, line.attempts], ["credential.issued", "c-1", 2]);
    assert.equal(line.correlation_id, undefined);
  });

  test("a field cannot pass itself off as the event", () => {
    const { log, lines } = capture();
    log.warn("real.event", { event: "forged" });
    assert.equal(lines()[0].event, "real.event");
  });

  test("inside a request the line names the request's correlation id", () => {
    const { log, lines } = capture();
    withCorrelationId("11111111-2222-4333-8444-555555555555", () => log.error("inside"));
    log.info("outside");
    assert.deepEqual(
      lines().map((l) => l.correlation_id),
      ["11111111-2222-4333-8444-555555555555", undefined],
    );
  });

  test("below the threshold nothing is written; at and above it everything is", () => {
    const { log, lines } = capture("warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    assert.deepEqual(
      lines().map((l) => [l.event, l.level]),
      [
        ["w", "warn"],
        ["e", "error"],
      ],
    );
    const verbose = capture("debug");
    verbose.log.debug("d");
    assert.equal(verbose.lines().length, 1);
    const silent = capture("silent");
    silent.log.error("e");
    assert.equal(silent.raw.length, 0);
  });

  test("every listed field is redacted at the top, one level down and as a header; the canary never appears", () => {
    const { logger, raw, lines } = capture();
    for (const name of REDACTED_FIELDS) {
      logger.info({ event: "redaction", field: name, [name]: CANARY, nested: { [name]: CANARY }, headers: { [name]: CANARY } });
      logger.info({ event: "redaction", field: name, req: { headers: { [name]: CANARY } } });
    }
    assert.equal(raw.length, REDACTED_FIELDS.length * 2);
    assert.ok(!raw.join("").includes(CANARY), "the canary is in a line");
    for (const line of lines()) {
      const name = String(line.field);
      if ("req" in line) assert.equal((line.req as { headers: Record<string, unknown> }).headers[name], REDACTED);
      else {
        assert.equal(line[name], REDACTED);
        assert.equal((line.nested as Record<string, unknown>)[name], REDACTED);
        assert.equal((line.headers as Record<string, unknown>)[name], REDACTED);
      }
    }
  });

  test("the call sites' API redacts too, and leaves other fields (a count named after a secret) alone", () => {
    const { log, raw, lines } = capture();
    log.info("sso.bound", { client_secret: CANARY, token: CANARY, password_setup_tokens: 3 });
    assert.ok(!raw.join("").includes(CANARY));
    assert.deepEqual([lines()[0].client_secret, lines()[0].token, lines()[0].password_setup_tokens], [REDACTED, REDACTED, 3]);
  });

  test("LOG_LEVEL: info unless set, one of pino's levels, anything else refused at boot", () => {
    assert.equal(parseEnv({}).logLevel, "info");
    assert.equal(parseEnv({ LOG_LEVEL: "" }).logLevel, "info");
    assert.equal(parseEnv({ LOG_LEVEL: "debug" }).logLevel, "debug");
    assert.equal(parseEnv({ LOG_LEVEL: "silent" }).logLevel, "silent");
    assert.throws(() => parseEnv({ LOG_LEVEL: "loud" }), /LOG_LEVEL/);
  });
});
