#!/usr/bin/env node
// `npm run demo`: the app against a local Shopify, on this machine, with nothing else to install.
//   1. self-setup (dependencies, schema, Prisma client, GraphQL types) and a demo database;
//   2. the production build of the app (remix vite:build);
//   3. the emulator (emulator/) with a seeded shop of a few thousand customers;
//   4. the app's production server (server.mjs), with https://*.myshopify.com routed to the emulator by emulator/preload.mjs;
//   5. prints the local admin URL. Ctrl-C stops both.
// startDemo() is also what the browser tests run, so they see exactly what a person sees.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function waitFor(url, { timeoutMs = 60_000, child, name }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, {
        headers: { "User-Agent": "Mozilla/5.0 Chrome/140.0 demo-readiness" },
      });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function startProcess(name, command, args, env, { quiet }) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
  });
  if (quiet) {
    // Keep the last lines for an error message; a quiet run must not block on a full pipe.
    const tail = [];
    const keep = (chunk) => {
      tail.push(...String(chunk).split("\n"));
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.tail = tail;
  }
  child.name = name;
  return child;
}

export async function startDemo({
  emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010),
  appPort = Number(process.env.PORT ?? 3000),
  shop = process.env.DEMO_SHOP ?? "demo.myshopify.com",
  customers = Number(process.env.DEMO_CUSTOMERS ?? 3000),
  plan = process.env.DEMO_PLAN ?? "standard",
  database = process.env.DEMO_DATABASE_URL ?? "file:./prisma/demo.sqlite",
  build = true,
  quiet = false,
} = {}) {
  const log = quiet ? () => {} : (line) => console.log(line);
  const setupEnv = { ...process.env, DATABASE_URL: database };
  execFileSync("node", ["scripts/setup.mjs"], {
    cwd: root,
    stdio: quiet ? "ignore" : "inherit",
    env: setupEnv,
  });
  if (build) {
    log("demo: building the admin UI extensions and the app");
    execFileSync("npx", ["shopify", "app", "build", "--skip-dependencies-installation"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 300_000,
    });
    execFileSync("npx", ["remix", "vite:build"], {
      cwd: root,
      stdio: quiet ? "ignore" : ["ignore", "ignore", "inherit"],
    });
  }

  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  // Same host as the emulator (ports do not make a different site): a browser that blocks third-party
  // storage would otherwise deny the embedded app its sessionStorage, which Remix uses.
  const appUrl = `http://127.0.0.1:${appPort}`;
  const credentials = {
    SHOPIFY_API_KEY: "demo-account-invites",
    // A fresh secret each run: session tokens and webhooks are signed for real, with nothing reusable.
    SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
  };

  const emulator = startProcess(
    "emulator",
    "node",
    ["--import", "tsx", "emulator/src/main.ts"],
    {
      ...credentials,
      SHOPIFY_APP_URL: appUrl,
      EMULATOR_PORT: String(emulatorPort),
      EMULATOR_SEED_SHOP: shop,
      EMULATOR_SEED_CUSTOMERS: String(customers),
      EMULATOR_PLAN: plan,
      EMULATOR_EXTENSIONS_DIR: "extensions",
    },
    { quiet },
  );
  const children = [emulator];
  const stop = async () => {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return null;
        return new Promise((resolveExit) => {
          // A process that ignores SIGTERM for 5 s is killed.
          const force = setTimeout(() => child.kill("SIGKILL"), 5000);
          child.once("exit", () => {
            clearTimeout(force);
            resolveExit();
          });
          child.kill("SIGTERM");
        });
      }),
    );
  };

  try {
    await waitFor(`${emulatorUrl}/__emulator/health`, { child: emulator, name: "the emulator" });
    const app = startProcess(
      "app",
      "node",
      ["--enable-source-maps", "--import", "./emulator/preload.mjs", "server.mjs"],
      {
        ...credentials,
        NODE_ENV: "production",
        PORT: String(appPort),
        HOST: "127.0.0.1",
        SHOPIFY_APP_URL: appUrl,
        SCOPES: "read_customers,write_customers",
        // Seals activation links while an export holds them (an hour at most): a fresh key each run.
        LINK_EXPORT_KEY: randomBytes(32).toString("base64"),
        DATABASE_URL: database,
        SHOPIFY_EMULATOR_URL: emulatorUrl,
      },
      { quiet },
    );
    children.push(app);
    await waitFor(`${appUrl}/`, { child: app, name: "the app" });
  } catch (error) {
    const tails = children.filter((c) => c.tail).map((c) => `--- ${c.name}:\n${c.tail.join("\n")}`);
    await stop();
    throw new Error(`${error.message}\n${tails.join("\n")}`);
  }

  const handle = shop.replace(/\.myshopify\.com$/, "");
  return {
    adminUrl: `${emulatorUrl}/store/${handle}/customers`,
    appAdminUrl: `${emulatorUrl}/store/${handle}/apps/account-invites`,
    emulatorUrl,
    appUrl,
    shop,
    stop,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const demo = await startDemo();
  console.log(`\nAccount Invites demo is running.\n\n  Open the local Shopify admin: ${demo.adminUrl}\n`);
  console.log(
    "  Select customers, then More actions; or open the app from the sidebar. Ctrl-C stops the demo.\n",
  );
  const shutdown = async () => {
    await demo.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
