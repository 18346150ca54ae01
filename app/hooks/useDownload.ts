import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useState } from "react";
import { strings } from "~/strings";

// Downloads from the app's resource routes. The embedded app has no cookie session: requests carry the
// session token, which App Bridge adds to `fetch` (not to a plain link), so the file is fetched and then
// saved from a blob, named by the response's Content-Disposition.
export function useDownload() {
  const shopify = useAppBridge();
  const [busy, setBusy] = useState(false);
  const download = useCallback(
    async (
      url: string,
      init: RequestInit = {},
      doneMessage?: string | ((response: Response) => string),
      onRefused?: (response: Response) => Promise<void>,
    ) => {
      setBusy(true);
      try {
        const response = await fetch(url, init);
        if (!response.ok) {
          if (onRefused && response.status === 400) await onRefused(response);
          else shopify.toast.show(strings.common.downloadFailed, { isError: true });
          return response;
        }
        const disposition = response.headers.get("Content-Disposition") ?? "";
        const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "export.csv";
        const blob = await response.blob();
        const href = URL.createObjectURL(blob);
        const anchor = document.createElement("a");
        anchor.href = href;
        anchor.download = name;
        document.body.appendChild(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
        if (doneMessage)
          shopify.toast.show(typeof doneMessage === "string" ? doneMessage : doneMessage(response));
        return response;
      } catch {
        shopify.toast.show(strings.common.downloadFailed, { isError: true });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [shopify],
  );
  return { download, busy };
}
