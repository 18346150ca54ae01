import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION as APP_ADMIN_API_VERSION } from "../../../app/constants/shopify";
import customerInviteLocale from "../../customer-invite-action/locales/en.default.json";
import {
  CUSTOMER_INVITE_SHOULD_RENDER_TARGET,
  CUSTOMER_INVITE_TARGET,
} from "../../customer-invite-action/src/targets";
import historyLocale from "../../customer-invite-history/locales/en.default.json";
import { INVITE_HISTORY_TARGET } from "../../customer-invite-history/src/targets";
import getLinksLocale from "../../get-activation-links/locales/en.default.json";
import { GET_LINKS_SHOULD_RENDER_TARGET, GET_LINKS_TARGET } from "../../get-activation-links/src/targets";
import sendLocale from "../../send-account-invites/locales/en.default.json";
import {
  SEND_INVITES_SHOULD_RENDER_TARGET,
  SEND_INVITES_TARGET,
} from "../../send-account-invites/src/targets";
import segmentLocale from "../../invite-segment/locales/en.default.json";
import { INVITE_SEGMENT_SHOULD_RENDER_TARGET, INVITE_SEGMENT_TARGET } from "../../invite-segment/src/targets";
import { ADMIN_API_VERSION } from "../src/adminApiVersion";
import { KNOWN_REASONS } from "../src/apiTypes";

// The strings and versions that must agree across files, checked in one place.

const extensionsDir = join(fileURLToPath(import.meta.url), "../../..");
const toml = (name: string) => readFileSync(join(extensionsDir, name, "shopify.extension.toml"), "utf8");
const uiExtensionsVersion: string = JSON.parse(
  readFileSync(join(extensionsDir, "../node_modules/@shopify/ui-extensions/package.json"), "utf8"),
).version;

const extensions = [
  { name: "send-account-invites", target: SEND_INVITES_TARGET, locale: sendLocale },
  { name: "get-activation-links", target: GET_LINKS_TARGET, locale: getLinksLocale },
  { name: "customer-invite-action", target: CUSTOMER_INVITE_TARGET, locale: customerInviteLocale },
  { name: "customer-invite-history", target: INVITE_HISTORY_TARGET, locale: historyLocale },
  { name: "invite-segment", target: INVITE_SEGMENT_TARGET, locale: segmentLocale },
];

describe("extension configuration", () => {
  it.each(extensions)("$name: the toml's target is the one in src/targets.ts", ({ name, target }) => {
    expect(toml(name)).toContain(`target = "${target}"`);
  });

  it.each(extensions)("$name: api_version is the installed UI extensions API version", ({ name }) => {
    const [year, month] = uiExtensionsVersion.split(".");
    expect(toml(name)).toMatch(new RegExp(`^api_version = "${year}-${month!.padStart(2, "0")}"$`, "m"));
  });

  it("queries the Admin API at the app's version", () => {
    expect(ADMIN_API_VERSION).toBe(APP_ADMIN_API_VERSION);
  });

  it("names each should-render companion after its action target", () => {
    expect(SEND_INVITES_SHOULD_RENDER_TARGET).toBe(
      SEND_INVITES_TARGET.replace(/\.render$/, ".should-render"),
    );
    expect(CUSTOMER_INVITE_SHOULD_RENDER_TARGET).toBe(
      CUSTOMER_INVITE_TARGET.replace(/\.render$/, ".should-render"),
    );
    expect(GET_LINKS_SHOULD_RENDER_TARGET).toBe(GET_LINKS_TARGET.replace(/\.render$/, ".should-render"));
    expect(INVITE_SEGMENT_SHOULD_RENDER_TARGET).toBe(
      INVITE_SEGMENT_TARGET.replace(/\.render$/, ".should-render"),
    );
    expect(toml("invite-segment")).toContain('module = "./src/shouldRender.ts"');
    expect(toml("send-account-invites")).toContain('module = "./src/shouldRender.ts"');
    expect(toml("get-activation-links")).toContain('module = "./src/shouldRender.ts"');
    expect(toml("customer-invite-action")).toContain('module = "./src/shouldRender.ts"');
  });

  it.each(extensions)("$name: the locale has the shared error, reason and state strings", ({ locale }) => {
    expect(locale.errors).toEqual(sendLocale.errors);
    expect(locale.states).toEqual(sendLocale.states);
    expect(Object.keys(locale.reasons).sort()).toEqual([...KNOWN_REASONS].sort());
    expect(locale.reasons).toEqual(sendLocale.reasons);
    expect(locale.name).toEqual(expect.any(String));
  });
});
