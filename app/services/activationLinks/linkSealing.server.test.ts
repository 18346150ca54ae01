import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openLink, sealLink } from "~/services/activationLinks/linkSealing.server";

const key = randomBytes(32);
const context = { shop: "a.myshopify.com", exportId: "exp1", customerId: "gid://shopify/Customer/1" };
const url = "https://a.myshopify.com/account/activate/1/0123456789abcdef0123456789abcdef";

describe("sealed activation links", () => {
  it("opens what it sealed, and never shows the link in the sealed text", () => {
    const sealed = sealLink(url, context, key);
    expect(sealed).not.toContain("activate");
    expect(sealed).not.toContain("0123456789abcdef");
    expect(openLink(sealed, context, key)).toBe(url);
  });

  it("uses a fresh IV for every link: the same link sealed twice differs", () => {
    const a = sealLink(url, context, key);
    const b = sealLink(url, context, key);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("refuses a ciphertext moved to another customer, export or shop, another key, or one altered", () => {
    const sealed = sealLink(url, context, key);
    expect(() => openLink(sealed, { ...context, customerId: "gid://shopify/Customer/2" }, key)).toThrow();
    expect(() => openLink(sealed, { ...context, exportId: "exp2" }, key)).toThrow();
    expect(() => openLink(sealed, { ...context, shop: "b.myshopify.com" }, key)).toThrow();
    expect(() => openLink(sealed, context, randomBytes(32))).toThrow();
    const [version, iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      openLink([version, iv, tag, flipped.toString("base64url")].join("."), context, key),
    ).toThrow();
    expect(() => openLink("plain text", context, key)).toThrow(/not a sealed activation link/);
  });
});
