// The processes a sender scenario runs, as production runs them: the app's server (`server.mjs`, the
// production build: webhooks such as bulk_operations/finish arrive there) and the compiled invite
// worker (`build/worker/main.js`, plain node), each with https://*.myshopify.com routed to the emulator
// by emulator/preload.mjs (the one documented switch). Their CPU time and peak RSS are read from
// /proc, so the figures are the worker's own, not this benchmark's.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { TEST_API_KEY, TEST_API_SECRET } from "../test/testEnv";
import { benchRoot } from "./benchApp";

export interface LogLine {
  time?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface NodeProcess {
  child: ChildProcess;
  /** Resolves with the first JSON log line for which `match` is true (pino lines on stdout). */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Log lines seen so far with level ≥ 40 (warn, error), and the worker's THROTTLED notes. */
  readonly warnings: LogLine[];
  readonly throttled: LogLine[];
  stop(): Promise<number | null>;
}

/** Starts `node --import ./emulator/preload.mjs <script>` in the project root with `env` (and NODE_OPTIONS). */
export function startNode(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  nodeOptions = "",
): NodeProcess {
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", "--import", "./emulator/preload.mjs", script],
    { cwd: benchRoot, env: { ...env, NODE_OPTIONS: nodeOptions }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const seen: LogLine[] = [];
  const warnings: LogLine[] = [];
  const throttled: LogLine[] = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      if (Number(line.level) >= 40) warnings.push(line);
      if (String(line.msg ?? "").startsWith("THROTTLED") && throttled.length < 10) throttled.push(line);
      // Only lines someone may still wait for are kept (the worker logs little, but a long run adds up).
      if (seen.length < 200) seen.push(line);
      for (const waiter of [...waiters])
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`${name}: ${chunk.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    warnings,
    throttled,
    waitForLog(match, timeoutMs = 60_000) {
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise<LogLine>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: no such log line within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => reject(new Error(`${name} exited with ${code} before logging it`)));
      });
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) and peak resident memory of a running process, from /proc. */
export function processUsage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th field.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / TICKS_PER_SECOND, peakRssMb: Math.round(peakKb / 102.4) / 10 };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const WORKER_SCRIPT = join("build", "worker", "main.js");
export const SERVER_SCRIPT = "server.mjs";

/**
 * The local Shopify emulator in its own process, on a free port, with the test credentials; `appUrl`
 * (optional) is where it delivers webhooks and Flow requests.
 */
export async function startEmulator(appUrl?: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(benchRoot, "emulator/src/main.ts")], {
    cwd: benchRoot,
    env: {
      ...process.env,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      ...(appUrl ? { SHOPIFY_APP_URL: appUrl } : {}),
      EMULATOR_PORT: "0",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolveUrl(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}
