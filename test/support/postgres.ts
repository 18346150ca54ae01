import pg from "pg";

// Test databases on the PostgreSQL server that scripts/with-postgres.mjs started (POSTGRES_URL): one
// template migrated once per run (test/globalSetup.ts), one copy per test file (test/setup.ts), as the
// SQLite run copies a template file. CREATE DATABASE ... TEMPLATE copies files: about 20 ms.

export const onPostgres = process.env.TEST_DATABASE === "postgresql";

export function postgresServerUrl(): string {
  const url = process.env.POSTGRES_URL;
  if (!url)
    throw new Error(
      "TEST_DATABASE=postgresql needs POSTGRES_URL: run through `node scripts/with-postgres.mjs -- ...` (npm run test:postgres)",
    );
  return url;
}

/** The server URL with another database name. */
export function databaseUrl(name: string, server = postgresServerUrl()): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(run: (client: pg.Client) => Promise<T>, server = postgresServerUrl()) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const identifier = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a safe database name: ${name}`);
  return `"${name}"`;
};

export async function createDatabase(name: string, { template }: { template?: string } = {}) {
  await withServer((client) =>
    client.query(`CREATE DATABASE ${identifier(name)}${template ? ` TEMPLATE ${identifier(template)}` : ""}`),
  );
  return databaseUrl(name);
}

export async function dropDatabase(name: string) {
  await withServer((client) => client.query(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`));
}
