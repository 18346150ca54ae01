#!/usr/bin/env node
// Obtains Shopify's published Admin GraphQL schema (introspection JSON) without shopify.dev:
// the npm package @shopify/dev-mcp ships it as dist/data/admin_<version>.json.gz.
// See docs/decisions/002-offline-toolchain.md for why.
//
// Writes .schema/admin-<version>.json (the canonical copy, read by the emulator) and
// app/types/admin-<version>.schema.json (where @shopify/api-codegen-preset looks before downloading).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const ADMIN_API_VERSION = "2026-10";
const PACKAGE = "@shopify/dev-mcp@1.16.0";
const ENTRY = `package/dist/data/admin_${ADMIN_API_VERSION}.json.gz`;
// sha256 of the gzipped entry in that exact package version: a changed file fails loudly.
const ENTRY_SHA256 = "f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const canonicalSchemaPath = join(root, ".schema", `admin-${ADMIN_API_VERSION}.json`);
export const codegenSchemaPath = join(root, "app", "types", `admin-${ADMIN_API_VERSION}.schema.json`);

export function fetchAdminSchema({ quiet = false } = {}) {
  if (!existsSync(canonicalSchemaPath)) {
    const work = mkdtempSync(join(tmpdir(), "admin-schema-"));
    try {
      const out = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], {
        cwd: work,
        encoding: "utf8",
        stdio: ["ignore", "pipe", 2],
      });
      const tarball = join(work, out.trim().split("\n").pop());
      execFileSync("tar", ["-xzf", tarball, "-C", work, ENTRY]);
      const gz = readFileSync(join(work, ENTRY));
      const digest = createHash("sha256").update(gz).digest("hex");
      if (digest !== ENTRY_SHA256) {
        throw new Error(`${PACKAGE} ${ENTRY} has sha256 ${digest}, expected ${ENTRY_SHA256}`);
      }
      const json = gunzipSync(gz);
      JSON.parse(json.toString("utf8")); // refuse to store something that is not JSON
      mkdirSync(dirname(canonicalSchemaPath), { recursive: true });
      writeFileSync(canonicalSchemaPath, json);
      if (!quiet) console.error(`schema: wrote ${canonicalSchemaPath}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (!existsSync(codegenSchemaPath)) {
    mkdirSync(dirname(codegenSchemaPath), { recursive: true });
    copyFileSync(canonicalSchemaPath, codegenSchemaPath);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fetchAdminSchema();
}
