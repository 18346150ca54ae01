import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { reactI18nextOptions } from "~/i18n/i18nextOptions";
import { localeOfDocument } from "~/i18n/remixI18n.server";
import { startInProcessWorker } from "~/jobs/inProcessWorker.server";
import { addDocumentResponseHeaders } from "~/shopify.server";
import { allowEmulatorFraming } from "~/utils/emulatorMode.server";

export const streamTimeout = 5000;

// The production server's hooks (server.mjs reaches them as `build.entry.module`): one module graph, so
// the server, the routes and the worker share one logger and one Prisma client.
export { startProductionServer } from "~/server/productionServer.server";

// Under `remix vite:dev` the invite worker starts here and handles the signals itself; in production the
// server starts it once listening and stops it in its shutdown (WORKER_ENABLED=false turns it off).
if (import.meta.env.DEV) startInProcessWorker({ handleSignals: true });

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowEmulatorFraming(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";
  // One instance per document, in the language root.tsx's loader detected the same way.
  const i18n = createInstance();
  await i18n.init({ ...reactI18nextOptions, lng: await localeOfDocument(request) });

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} />
      </I18nextProvider>,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );

    // Abort a stream that has not finished, a second after the timeout for streamed data.
    setTimeout(abort, streamTimeout + 1000);
  });
}
