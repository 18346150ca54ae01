import { describe, expect, it } from "vitest";
import { databaseProviderOf, parseEnv } from "~/env.server";

const complete = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_customers,write_customers",
  LINK_EXPORT_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("parseEnv", () => {
  it("accepts a complete configuration and fills the defaults", () => {
    const env = parseEnv(complete);
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBeUndefined();
  });

  it("gives a shutdown time to answer or time out an invite request in flight, unless told", () => {
    expect(parseEnv(complete).SHUTDOWN_TIMEOUT_MS).toBe(40_000);
    expect(parseEnv({ ...complete, INVITE_REQUEST_TIMEOUT_MS: "2000" }).SHUTDOWN_TIMEOUT_MS).toBe(12_000);
    expect(parseEnv({ ...complete, SHUTDOWN_TIMEOUT_MS: "5000" }).SHUTDOWN_TIMEOUT_MS).toBe(5_000);
    expect(() => parseEnv({ ...complete, SHUTDOWN_TIMEOUT_MS: "10" })).toThrowError(
      /SHUTDOWN_TIMEOUT_MS: invalid/,
    );
  });

  it("names every missing variable in one message", () => {
    expect(() => parseEnv({ SCOPES: "read_customers" })).toThrowError(
      /SHOPIFY_API_KEY: missing[\s\S]*SHOPIFY_API_SECRET: missing[\s\S]*SHOPIFY_APP_URL: missing/,
    );
  });

  it("treats an empty secret as missing rather than accepting it", () => {
    expect(() => parseEnv({ ...complete, SHOPIFY_API_SECRET: "" })).toThrowError(
      /SHOPIFY_API_SECRET: missing/,
    );
  });

  it("says which value is malformed", () => {
    expect(() => parseEnv({ ...complete, SHOPIFY_APP_URL: "not a url" })).toThrowError(
      /SHOPIFY_APP_URL: invalid/,
    );
    expect(() => parseEnv({ ...complete, DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL: invalid/);
  });

  it("takes the link export key as 32 bytes in base64 or hex", () => {
    const hex = "ab".repeat(32);
    expect(parseEnv({ ...complete, LINK_EXPORT_KEY: hex }).LINK_EXPORT_KEY).toEqual(Buffer.from(hex, "hex"));
    expect(parseEnv(complete).LINK_EXPORT_KEY).toEqual(Buffer.alloc(32, 1));
    const urlSafe = Buffer.alloc(32, 0xfb).toString("base64url");
    expect(parseEnv({ ...complete, LINK_EXPORT_KEY: urlSafe }).LINK_EXPORT_KEY).toEqual(
      Buffer.alloc(32, 0xfb),
    );
  });

  it("refuses to start without a link export key, or with one of the wrong length", () => {
    const { LINK_EXPORT_KEY: _omitted, ...withoutKey } = complete;
    expect(() => parseEnv(withoutKey)).toThrowError(/LINK_EXPORT_KEY: missing \(32 random bytes/);
    for (const bad of [
      Buffer.alloc(16).toString("base64"),
      "ab".repeat(31),
      "not a key at all, just a passphrase of some length",
    ]) {
      expect(() => parseEnv({ ...complete, LINK_EXPORT_KEY: bad })).toThrowError(
        /LINK_EXPORT_KEY: invalid \(must be exactly 32 bytes/,
      );
    }
  });

  it("accepts a SQLite or a PostgreSQL DATABASE_URL and tells which one it names", () => {
    for (const [url, provider] of [
      ["file:./prisma/dev.sqlite", "sqlite"],
      ["postgresql://invites:secret@db.internal:5432/account_invites?sslmode=require", "postgresql"],
      ["postgres://localhost/account_invites", "postgresql"],
    ] as const) {
      expect(parseEnv({ ...complete, DATABASE_URL: url }).DATABASE_URL).toBe(url);
      expect(databaseProviderOf(url)).toBe(provider);
    }
    for (const url of ["mysql://x", "postgresql:/missing-slash", "sqlite://x.db", "file:"]) {
      expect(() => parseEnv({ ...complete, DATABASE_URL: url })).toThrowError(/DATABASE_URL: invalid/);
    }
    expect(() => databaseProviderOf("mysql://x")).toThrowError(/DATABASE_URL/);
  });
});
