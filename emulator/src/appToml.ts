// Reads webhook subscriptions ([[webhooks.subscriptions]] topics / compliance_topics + uri) from the app's
// shopify.app.toml, so the emulator delivers to the same paths Shopify would. A small line parser: enough
// for the keys above, not a TOML implementation.
import { existsSync, readFileSync } from "node:fs";

export function subscriptionsFromToml(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  let topics: string[] = [];
  let uri: string | null = null;
  const flush = () => {
    if (uri && uri.startsWith("/")) for (const topic of topics) out[topic] = uri;
    topics = [];
    uri = null;
  };
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line.startsWith("[")) {
      flush();
      continue;
    }
    const list = /^(topics|compliance_topics)\s*=\s*\[(.*)\]$/.exec(line);
    if (list) topics.push(...[...list[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
    const u = /^uri\s*=\s*"([^"]+)"$/.exec(line);
    if (u) uri = u[1]!;
  }
  flush();
  return out;
}
