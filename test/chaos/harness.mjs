// Plumbing for the chaos suite (scripts/chaos.mjs): child processes that are logged, watched and always
// cleaned up, bounded waits, HTTP helpers for the emulator's control API and the app's JSON API.
// Nothing here knows the app's internals: it talks to the processes over HTTP, as Shopify and a merchant do.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A seeded PRNG (mulberry32), so a run's choices (kill types, delays) are reproducible by --seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a truthy value; throws `what` when `timeoutMs` passed first. */
export async function waitUntil(check, { timeoutMs, intervalMs = 100, what = "a condition" }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const live = new Set();

/** Every child this process started and that is still running: killed when the suite exits, whatever the cause. */
export function killAllChildren(signal = "SIGKILL") {
  for (const child of live) {
    try {
      child.process.kill(signal);
    } catch {
      // already gone
    }
  }
}
process.once("exit", () => killAllChildren("SIGKILL"));

/**
 * A child process with its output appended to `logFile` (and its last lines kept for error messages).
 * `node` itself runs the program (no npx/tsx CLI in between), so a SIGKILL reaches the real process.
 */
export class Child {
  constructor(name, args, { env, cwd, logFile }) {
    this.name = name;
    this.expectedExit = false;
    this.exit = null;
    this.startedAt = Date.now();
    this.tail = [];
    const log = createWriteStream(logFile, { flags: "a" });
    log.write(`\n===== ${new Date().toISOString()} ${name} starting =====\n`);
    this.process = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.pid = this.process.pid;
    const keep = (chunk) => {
      log.write(chunk);
      const lines = String(chunk).split("\n");
      this.tail.push(...lines.filter((l) => l.trim() !== ""));
      if (this.tail.length > 60) this.tail.splice(0, this.tail.length - 60);
    };
    this.process.stdout.on("data", keep);
    this.process.stderr.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => {
        live.delete(this);
        this.exit = { code, signal, at: Date.now(), expected: this.expectedExit };
        log.end(`\n===== ${new Date().toISOString()} ${name} exited code=${code} signal=${signal} =====\n`);
        resolve(this.exit);
      });
    });
    live.add(this);
  }

  get running() {
    return this.exit === null;
  }

  /** SIGKILL, and resolves once the process is gone. */
  async kill() {
    this.expectedExit = true;
    if (!this.running) return this.exit;
    this.process.kill("SIGKILL");
    return this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with { exit, forced }. */
  async stop(graceMs = 10_000) {
    this.expectedExit = true;
    if (!this.running) return { exit: this.exit, forced: false };
    this.process.kill("SIGTERM");
    const timer = new Promise((resolve) => setTimeout(() => resolve("timeout"), graceMs));
    const first = await Promise.race([this.exited, timer]);
    if (first !== "timeout") return { exit: first, forced: false };
    this.process.kill("SIGKILL");
    return { exit: await this.exited, forced: true };
  }
}

/** fetch with a timeout; never throws for HTTP statuses, only for network failures and timeouts. */
export async function http(method, url, { body, headers = {}, timeoutMs = 10_000 } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      "User-Agent": BROWSER_USER_AGENT,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "manual",
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (an HTML page)
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** The emulator's control API (/__emulator/...): throws on a non-2xx answer. */
export function controlClient(baseUrl) {
  return async function control(method, path, body) {
    const result = await http(method, `${baseUrl}/__emulator/${path}`, { body, timeoutMs: 30_000 });
    if (result.status >= 300)
      throw new Error(`emulator ${method} ${path} answered ${result.status}: ${result.text.slice(0, 300)}`);
    return result.json;
  };
}
