#!/usr/bin/env node
// A throwaway PostgreSQL 15 server for tests, CI and local runs: `node scripts/with-postgres.mjs -- <command>`
// runs <command> with POSTGRES_URL (a superuser URL to the `postgres` database) and stops and deletes the
// server when the command ends, whatever way it ends; without a command it prints the URL and keeps the
// server until Ctrl-C. Used by .ci/run (`npm run test:postgres`) and by developers.
//
// - Binaries: PostgreSQL 15 from Debian's packages (/usr/lib/postgresql/15/bin); when initdb is missing
//   and we are root, `apt-get install -y postgresql-15` first. POSTGRES_BIN overrides the folder.
// - initdb into a new temporary folder, C locale and UTF-8 (byte order, as SQLite compares text), trust
//   authentication on 127.0.0.1 only; durability off (fsync, synchronous_commit): test data only.
// - initdb and postgres refuse to run as root: as root, the server runs as the `postgres` user (created
//   by Debian's package) or `nobody`, and owns only its temporary folder.
// - pg_ctl on a free port; stopped on exit, SIGINT, SIGTERM or an error (pg_ctl stop -m immediate).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

const DEFAULT_BIN = "/usr/lib/postgresql/15/bin";

function log(line) {
  process.stderr.write(`with-postgres: ${line}\n`);
}

function findBin() {
  const candidates = [process.env.POSTGRES_BIN, DEFAULT_BIN].filter(Boolean);
  for (const dir of candidates) if (existsSync(join(dir, "initdb"))) return dir;
  const onPath = spawnSync("sh", ["-c", "command -v pg_config >/dev/null && pg_config --bindir"], {
    encoding: "utf8",
  });
  const fromConfig = onPath.stdout.trim();
  if (fromConfig && existsSync(join(fromConfig, "initdb"))) return fromConfig;
  return null;
}

function installPostgres() {
  if (userInfo().uid !== 0)
    throw new Error(
      "PostgreSQL 15 is not installed: run `sudo apt-get install -y postgresql-15` (or set POSTGRES_BIN)",
    );
  log("installing Debian's postgresql-15");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "postgresql-15"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The user the server runs as: ourselves, or an unprivileged one when we are root. */
function serverUser() {
  if (userInfo().uid !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    if (spawnSync("id", ["-u", name], { stdio: "ignore" }).status === 0) return name;
  }
  throw new Error("running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL");
}

/** Starts a server; returns { url, stop }. */
export async function startPostgres() {
  let bin = findBin();
  if (!bin) {
    installPostgres();
    bin = findBin();
    if (!bin) throw new Error(`initdb not found after installing postgresql-15 (looked in ${DEFAULT_BIN})`);
  }
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "account-invites-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const asUser = (command, args) =>
    user ? ["runuser", ["-u", user, "--", join(bin, command), ...args]] : [join(bin, command), args];
  const run = (command, args) => {
    const [file, argv] = asUser(command, args);
    const result = spawnSync(file, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0)
      throw new Error(`${command} failed (${result.status}):\n${result.stdout}\n${result.stderr}`.trim());
  };
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch (error) {
        log(String(error.message ?? error));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=400",
      "-c shared_buffers=64MB",
    ].join(" ");
    run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    started = true;
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      stop,
      logFile: join(dir, "server.log"),
    };
  } catch (error) {
    stop();
    throw error;
  }
}

async function main() {
  const separator = process.argv.indexOf("--");
  const command = separator >= 0 ? process.argv.slice(separator + 1) : [];
  const server = await startPostgres();
  let exiting = false;
  const finish = (code) => {
    if (exiting) return;
    exiting = true;
    server.stop();
    process.exit(code);
  };
  process.on("exit", () => server.stop());
  log(`PostgreSQL running at ${server.url}`);
  if (command.length === 0) {
    process.stdout.write(`POSTGRES_URL=${server.url}\n`);
    log("Ctrl-C stops it and deletes its data");
    process.on("SIGINT", () => finish(0));
    process.on("SIGTERM", () => finish(0));
    setInterval(() => {}, 1 << 30);
    return;
  }
  const child = spawn(command[0], command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, POSTGRES_URL: server.url },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    log(`cannot run ${command[0]}: ${error.message}`);
    finish(127);
  });
  child.on("exit", (code, signal) => finish(code ?? (signal ? 1 : 0)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  });
}
