// Reads webhook subscriptions ([[webhooks.subscriptions]] topics / compliance_topics + uri, and the
// optional `filter` and `include_fields`) from the app's shopify.app.toml, so the emulator delivers to
// the same paths, with the same filters and payload fields, as Shopify would. A small line parser:
// enough for the keys above (each on one line), not a TOML implementation.
import { existsSync, readFileSync } from "node:fs";
import type { WebhookSubscription } from "./webhooks";

export function subscriptionsFromToml(path: string): Record<string, WebhookSubscription> {
  if (!existsSync(path)) return {};
  const out: Record<string, WebhookSubscription> = {};
  let topics: string[] = [];
  let uri: string | null = null;
  let filter: string | undefined;
  let includeFields: string[] | undefined;
  const flush = () => {
    if (uri && uri.startsWith("/"))
      for (const topic of topics)
        out[topic] = {
          path: uri,
          ...(filter ? { filter } : {}),
          ...(includeFields ? { includeFields } : {}),
        };
    topics = [];
    uri = null;
    filter = undefined;
    includeFields = undefined;
  };
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.replace(/^([^"#]*("[^"]*"[^"#]*)*)#.*$/, "$1").trim();
    if (line.startsWith("[")) {
      flush();
      continue;
    }
    const list = /^(topics|compliance_topics|include_fields)\s*=\s*\[(.*)\]$/.exec(line);
    if (list) {
      const values = [...list[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
      if (list[1] === "include_fields") includeFields = values;
      else topics.push(...values);
    }
    const u = /^uri\s*=\s*"([^"]+)"$/.exec(line);
    if (u) uri = u[1]!;
    const f = /^filter\s*=\s*"([^"]*)"$/.exec(line);
    if (f) filter = f[1]!;
  }
  flush();
  return out;
}
