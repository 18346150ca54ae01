import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { startDemo } from "../../../scripts/demo.mjs";

// The demo (scripts/demo.mjs: emulator + production build of the app) as a browser test file starts it:
// its own ports and database file, quiet, and rebuilt unless SKIP_BUILD is set (for local iteration).
export interface TestDemo {
  adminUrl: string;
  emulatorUrl: string;
  appAdminUrl: string;
  shop: string;
  /** Stops both processes and removes the database file. */
  stop: () => Promise<void>;
}

export async function startTestDemo({
  name,
  emulatorPort,
  appPort,
}: {
  name: string;
  emulatorPort: number;
  appPort: number;
}): Promise<TestDemo> {
  const database = resolve(`node_modules/.cache/account-invites-test/browser-${name}.sqlite`);
  const removeDatabase = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(database + suffix, { force: true });
  };
  removeDatabase();
  const demo = await startDemo({
    emulatorPort,
    appPort,
    customers: 300,
    database: `file:${database}`,
    build: !process.env.SKIP_BUILD,
    quiet: true,
  });
  return {
    ...demo,
    stop: async () => {
      await demo.stop();
      removeDatabase();
    },
  };
}
