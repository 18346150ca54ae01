import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/i18n/locales";

// Downloads from the app's resource routes. The embedded app has no cookie session: requests carry the
// session token, which App Bridge adds to `fetch` (not to a plain link), so the file is fetched and then
// saved from a blob, named by the response's Content-Disposition. The URL carries `locale`: the server
// writes the file's words in the page's language.
export function useDownload() {
  const shopify = useAppBridge();
  const { t, i18n } = useTranslation();
  const locale = resolveLocale(i18n.language);
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
        const response = await fetch(withLocale(url, locale), init);
        if (!response.ok) {
          if (onRefused && response.status === 400) await onRefused(response);
          else shopify.toast.show(t("common.downloadFailed"), { isError: true });
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
        shopify.toast.show(t("common.downloadFailed"), { isError: true });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [shopify, t, locale],
  );
  return { download, busy };
}

/** `url` (an app path, with or without a query) with `locale` set. */
export function withLocale(url: string, locale: string): string {
  const [path, query = ""] = url.split("?");
  const params = new URLSearchParams(query);
  params.set("locale", locale);
  return `${path}?${params}`;
}
