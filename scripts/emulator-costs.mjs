#!/usr/bin/env node
// `npm run emulator:costs`: replays the live-store captures (../shared/shopify-captures/costs/
// cost-calibration.json, 1,228 requests with Shopify's requestedQueryCost and actualQueryCost) through the
// emulator's cost model (emulator/src/cost.ts) and prints how many it prices exactly, over and under, and
// the worst misses. Runs under tsx (it imports the emulator's TypeScript).
//   --worst N        how many misses to list (default 10)
//   --min-exact P    exit 1 when fewer than P % of the requested costs are exact (default 95)
// Without ../shared (or SHOPIFY_CAPTURES_DIR) it says so and exits 0: the captures are not in the repository.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CALIBRATION_FILE,
  formatReport,
  readCalibration,
  readCapturedAnswers,
  replayCalibration,
  summarize,
} from "../emulator/src/costCalibration.ts";
import { loadSchema } from "../emulator/src/schema.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const capturesDir = resolve(process.env.SHOPIFY_CAPTURES_DIR ?? join(root, "../shared/shopify-captures"));

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value)) throw new Error(`${name} takes a number`);
  return value;
}

if (!existsSync(join(capturesDir, CALIBRATION_FILE))) {
  console.log(`emulator:costs: no ${join(capturesDir, CALIBRATION_FILE)} here; nothing to replay (skipped).`);
  process.exit(0);
}

const worst = option("--worst", 10);
const minExact = option("--min-exact", 95);
const schema = loadSchema();
const entries = readCalibration(capturesDir);
const answers = readCapturedAnswers(capturesDir, entries);
const summary = summarize(replayCalibration(schema, entries, answers), worst);
console.log(formatReport(summary));

const share = (100 * summary.requested.exact) / Math.max(1, summary.requested.total);
if (share < minExact) {
  console.error(`\nemulator:costs: ${share.toFixed(1)} % exact, below ${minExact} %`);
  process.exit(1);
}
