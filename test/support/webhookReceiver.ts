import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersEnable } from "~/routes/webhooks.customers.enable";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { TEST_APP_URL } from "../testEnv";
import { routeArgs } from "./requests";

// The app's customer webhook routes served over HTTP from the test process, for the emulator to deliver
// to: each delivery becomes the Request Shopify would send (raw body, Shopify's headers) and goes to
// the route's real action (authenticate.webhook verifies the HMAC, deliverWebhook deduplicates). Lighter
// than serving the whole app through Vite (test/support/appServer.ts) for thousands of deliveries.

const routes: Record<string, (args: ReturnType<typeof routeArgs>) => Promise<Response>> = {
  "/webhooks/customers/create": customersCreate,
  "/webhooks/customers/enable": customersEnable,
  "/webhooks/customers/update": customersUpdate,
};

export interface WebhookReceiver {
  url: string;
  /** Responses by status, for assertions. */
  statuses: Map<number, number>;
  close: () => Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const statuses = new Map<number, number>();
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const action = routes[req.url ?? ""];
    let status = 404;
    if (action) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      const request = new Request(new URL(req.url!, TEST_APP_URL), { method: "POST", headers, body });
      try {
        status = (await action(routeArgs(request))).status;
      } catch (thrown) {
        status = thrown instanceof Response ? thrown.status : 500;
      }
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
