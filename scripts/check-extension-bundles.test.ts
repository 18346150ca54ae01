import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkExtensionBundles, formatTable } from "./check-extension-bundles.mjs";

let root: string;

function extension(name: string, files: Record<string, string | Buffer>) {
  const dir = join(root, "extensions", name);
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(
    join(dir, "shopify.extension.toml"),
    `api_version = "2026-07"\n[[extensions]]\nhandle = "${name}"\n`,
  );
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, "dist", file), content);
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("check-extension-bundles", () => {
  it("passes small bundles and reports raw and gzip sizes", () => {
    root = mkdtempSync(join(tmpdir(), "bundles-"));
    extension("small", { "small.js": "x".repeat(50_000), "small.js.map": "ignored" });

    const { rows, problems } = checkExtensionBundles({ root });

    expect(problems).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({ file: "extensions/small/dist/small.js", raw: 50_000, ok: true }),
    ]);
    expect(rows[0]!.gzip).toBeLessThan(1_000);
    expect(formatTable(rows)).toContain("extensions/small/dist/small.js");
  });

  it("fails a bundle at or over the limit once compressed", () => {
    root = mkdtempSync(join(tmpdir(), "bundles-"));
    let seed = 1;
    const noise = Buffer.from(
      Array.from({ length: 70_000 }, () => (seed = (seed * 48271) % 2147483647) & 0xff),
    );
    extension("big", { "big.js": noise });

    const { problems } = checkExtensionBundles({ root });

    expect(problems).toEqual([expect.stringContaining("extensions/big/dist/big.js")]);
  });

  it("fails when an extension was not built, or bundles React instead of Preact", () => {
    root = mkdtempSync(join(tmpdir(), "bundles-"));
    extension("unbuilt", {});
    extension("reacty", {
      "reacty.js": "code",
      "reacty.metafile.json": JSON.stringify({ inputs: { "node_modules/react/index.js": {} } }),
    });

    const { problems } = checkExtensionBundles({ root });

    expect(problems).toEqual([
      expect.stringContaining("reacty.js: bundles React"),
      expect.stringContaining("unbuilt: no built bundle"),
    ]);
  });

  it("skips Flow extensions, which have no bundle, and still checks the others", () => {
    root = mkdtempSync(join(tmpdir(), "bundles-"));
    for (const type of ["flow_action", "flow_trigger"]) {
      const dir = join(root, "extensions", type);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "shopify.extension.toml"),
        `[[extensions]]\ntype = "${type}"\nhandle = "${type}"\n`,
      );
    }
    extension("unbuilt", {});

    const { rows, problems } = checkExtensionBundles({ root });

    expect(rows).toEqual([]);
    expect(problems).toEqual([expect.stringContaining("unbuilt: no built bundle")]);
  });
});
