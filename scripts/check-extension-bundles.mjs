#!/usr/bin/env node
// Checks that every admin UI extension's built bundle stays under Shopify's limit of 64 KB compressed.
// Flow extensions (`type = "flow_action"` / `"flow_trigger"`) are configuration only: no bundle, skipped.
// Run after `shopify app build` (npm run build:extensions), which writes each extension's bundles to
// extensions/<name>/dist/<handle>.js (and <handle>-conditions.js for a should-render module).
// Prints a table of raw and gzip sizes; exits 1 when a bundle is at or over the limit, when an
// extension has no built bundle, or when React was bundled instead of Preact (a wrong jsxImportSource
// doubles the size; see extensions/shared/tsconfig.json).
//
//   node scripts/check-extension-bundles.mjs [--limit-kb 64]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const SHOPIFY_LIMIT_BYTES = 64 * 1024;

/** Extension types Shopify CLI builds nothing for. */
const BUNDLELESS_TYPE = /^\s*type\s*=\s*"(flow_action|flow_trigger)"/m;

/** Every extension under extensions/ (a folder with shopify.extension.toml), with its built bundles. */
export function checkExtensionBundles({ root, limitBytes = SHOPIFY_LIMIT_BYTES }) {
  const extensionsDir = join(root, "extensions");
  const rows = [];
  const problems = [];
  const folders = existsSync(extensionsDir)
    ? readdirSync(extensionsDir, { withFileTypes: true }).filter(
        (entry) =>
          entry.isDirectory() && existsSync(join(extensionsDir, entry.name, "shopify.extension.toml")),
      )
    : [];
  for (const folder of folders) {
    const dir = join(extensionsDir, folder.name);
    const toml = readFileSync(join(dir, "shopify.extension.toml"), "utf8");
    if (BUNDLELESS_TYPE.test(toml)) continue;
    const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? folder.name;
    const dist = join(dir, "dist");
    const bundles = existsSync(dist) ? readdirSync(dist).filter((file) => file.endsWith(".js")) : [];
    if (!bundles.includes(`${handle}.js`)) {
      problems.push(
        `${folder.name}: no built bundle at ${relative(root, join(dist, `${handle}.js`))}; run \`npm run build:extensions\` first`,
      );
    }
    for (const file of bundles.sort()) {
      const path = join(dist, file);
      const content = readFileSync(path);
      const gzip = gzipSync(content, { level: 9 }).length;
      const row = {
        extension: folder.name,
        file: relative(root, path),
        raw: content.length,
        gzip,
        ok: gzip < limitBytes,
      };
      rows.push(row);
      if (!row.ok)
        problems.push(`${row.file}: ${formatKb(gzip)} gzip is at or over the ${formatKb(limitBytes)} limit`);
      const metafile = join(dist, file.replace(/\.js$/, ".metafile.json"));
      if (existsSync(metafile)) {
        const inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs ?? {});
        const react = inputs.filter((input) => /node_modules\/react(-dom)?\//.test(input));
        if (react.length > 0) {
          problems.push(
            `${row.file}: bundles React (${react[0]}); extensions must compile JSX with jsxImportSource "preact"`,
          );
        }
      }
    }
  }
  if (folders.length === 0) problems.push("no extensions found under extensions/");
  return { rows, problems };
}

export function formatKb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function formatTable(rows, limitBytes = SHOPIFY_LIMIT_BYTES) {
  const header = ["Bundle", "Raw", "Gzip", `Limit ${formatKb(limitBytes)}`];
  const lines = rows.map((row) => [
    row.file,
    formatKb(row.raw),
    formatKb(row.gzip),
    row.ok ? "ok" : "TOO BIG",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join("  ");
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...lines.map(format)].join(
    "\n",
  );
}

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const limitIndex = process.argv.indexOf("--limit-kb");
  const limitBytes = limitIndex > 0 ? Number(process.argv[limitIndex + 1]) * 1024 : SHOPIFY_LIMIT_BYTES;
  if (!Number.isFinite(limitBytes) || limitBytes <= 0) {
    console.error("--limit-kb takes a positive number");
    process.exit(2);
  }
  const { rows, problems } = checkExtensionBundles({ root, limitBytes });
  if (rows.length > 0) console.log(formatTable(rows, limitBytes));
  for (const problem of problems) console.error(`✗ ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`✓ every extension bundle is under ${formatKb(limitBytes)} compressed`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
