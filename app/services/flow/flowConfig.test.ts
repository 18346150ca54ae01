import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FLOW_ACTION_HANDLE,
  FLOW_ACTION_PATH,
  FLOW_TRIGGER_HANDLE,
  FLOW_TRIGGER_KEYS,
} from "~/constants/flow";
import { flowExtensionsFrom } from "../../../emulator/src/flow";

// The Flow extensions' tomls and the app agree: handles, the runtime URL's route, the trigger's keys
// (as Shopify CLI validates them: handle ≤ 30 characters, https runtime_url, keys of letters and spaces).

const toml = (name: string) => readFileSync(`extensions/${name}/shopify.extension.toml`, "utf8");
const { triggers, actions } = flowExtensionsFrom("extensions");

describe("the Flow extensions", () => {
  it("declare the action the route serves", () => {
    const action = actions.find((a) => a.handle === FLOW_ACTION_HANDLE);
    expect(action).toBeDefined();
    expect(FLOW_ACTION_HANDLE.length).toBeLessThanOrEqual(30);
    expect(toml("send-account-invite")).toMatch(
      /^runtime_url = "https:\/\/[^"]+\/flow\/send-account-invite"$/m,
    );
    expect(action!.path).toBe(FLOW_ACTION_PATH);
    expect(existsSync("app/routes/flow.send-account-invite.tsx")).toBe(true);
    expect(action!.fields).toEqual([
      { type: "customer_reference", key: "customer_id" },
      { type: "single_line_text_field", key: "subject" },
      { type: "multi_line_text_field", key: "message" },
    ]);
  });

  it("declare the trigger the worker emits, with keys of letters and spaces only", () => {
    const trigger = triggers.find((t) => t.handle === FLOW_TRIGGER_HANDLE);
    expect(trigger).toBeDefined();
    expect(FLOW_TRIGGER_HANDLE.length).toBeLessThanOrEqual(30);
    expect(trigger!.fields.map((f) => f.key)).toEqual(["customer_id", ...Object.values(FLOW_TRIGGER_KEYS)]);
    for (const key of Object.values(FLOW_TRIGGER_KEYS)) expect(key).toMatch(/^[A-Za-z ]+$/);
    // No field could carry a link or an address.
    expect(trigger!.fields.map((f) => f.type)).not.toContain("url");
    expect(trigger!.fields.map((f) => f.type)).not.toContain("email");
  });
});
