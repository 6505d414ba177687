import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { PermissionDeniedError, ValidationError } from "@/lib/errors";
import { defineAction, performAction } from "./action-run";

const user = { id: "00000000-0000-4000-8000-000000000001", email: "operator@example.com", displayName: "Operator" };

/** An action whose service call is recorded, so a test sees whether it ran. */
function recorded(work: (input: { name: string }) => Promise<object | void> = async () => ({ saved: true })) {
  const calls: unknown[] = [];
  const definition = defineAction(
    { name: "test", target: z.object({ thingId: z.string() }), input: z.object({ name: z.string().min(1, "Enter a name.") }) },
    async ({ input }) => {
      calls.push(input);
      return work(input);
    },
  );
  return { definition, calls };
}

describe("the action client", () => {
  test("a valid call reaches the service once and answers its data", async () => {
    const { definition, calls } = recorded();
    const result = await performAction(definition, user, { thingId: "t", name: "n" });
    assert.deepEqual(result, { ok: true, target: { thingId: "t" }, data: { saved: true } });
    assert.equal(calls.length, 1);
  });

  test("bad input never reaches the service and comes back as field errors", async () => {
    const { definition, calls } = recorded();
    const result = await performAction(definition, user, { thingId: "t", name: "" });
    assert.deepEqual(result, { ok: false, fieldErrors: { name: "Enter a name." } });
    assert.equal(calls.length, 0);
  });

  test("a thrown domain error becomes its own field errors, and its message only when it names no field", async () => {
    const taken = new ValidationError("taken", "Taken.", { name: "That name is taken." });
    const fields = await performAction(recorded(async () => Promise.reject(taken)).definition, user, { thingId: "t", name: "n" });
    assert.deepEqual(fields, { ok: false, fieldErrors: { name: "That name is taken." }, formError: undefined });
    const denied = await performAction(recorded(async () => Promise.reject(new PermissionDeniedError("no"))).definition, user, {
      thingId: "t",
      name: "n",
    });
    assert.deepEqual(denied, { ok: false, fieldErrors: {}, formError: "You are not permitted to do this." });
  });

  test("an unexpected error becomes the generic message with a reference, never its own message", async () => {
    const secret = "postgres://admin:hunter2@db/prod";
    const result = await performAction(recorded(async () => Promise.reject(new Error(secret))).definition, user, {
      thingId: "t",
      name: "n",
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.formError ?? "", /^Something went wrong on our side \(reference [0-9a-f-]{36}\)\. Nothing was saved\.$/);
    assert.equal(JSON.stringify(result).includes("hunter2"), false);
  });

  test("a refused permission question runs nothing and reads no field but the target's ids", async () => {
    const reads: string[] = [];
    const argument = new Proxy({ cloudId: "c", secret: "s3cr3t" } as Record<string, unknown>, {
      get(target, prop) {
        if (typeof prop === "string") reads.push(prop);
        return Reflect.get(target, prop);
      },
    });
    let ran = false;
    const definition = defineAction(
      {
        name: "guarded",
        target: z.object({ cloudId: z.string() }),
        authorize: async () => Promise.reject(new PermissionDeniedError("not a manager")),
        input: z.object({ secret: z.string() }),
      },
      async () => {
        ran = true;
      },
    );
    const result = await performAction(definition, user, argument);
    assert.deepEqual(result, { ok: false, fieldErrors: {}, formError: "You are not permitted to do this." });
    assert.equal(ran, false);
    assert.deepEqual(
      reads.filter((name) => name !== "cloudId"),
      [],
    );
  });

  test("the permission's answer is what the handler acts through", async () => {
    const definition = defineAction(
      {
        name: "permit",
        target: z.object({ cloudId: z.string() }),
        authorize: async (_, { cloudId }) => ({ cloudId, may: "issue" as const }),
      },
      async ({ permit }) => ({ acted: `${permit.may}:${permit.cloudId}` }),
    );
    const result = await performAction(definition, user, { cloudId: "c1" });
    assert.equal(result.ok && result.data.acted, "issue:c1");
  });

  test("a plain form's FormData is read by field name", async () => {
    const { definition, calls } = recorded();
    const form = new FormData();
    form.set("thingId", "t");
    form.set("name", "from a form");
    const result = await performAction(definition, user, form);
    assert.equal(result.ok, true);
    assert.deepEqual(calls, [{ name: "from a form" }]);
  });
});
