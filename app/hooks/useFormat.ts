import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/i18n/locales";
import { formatDateTime, formatDay, formatNumber } from "~/utils/format";

/** The page's language (`en` | `fr`) and the number and date formats that go with it. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = resolveLocale(i18n.language);
  return useMemo(
    () => ({
      locale,
      number: (value: number) => formatNumber(value, locale),
      dateTime: (value: string | Date | null | undefined) => formatDateTime(value, locale),
      day: (value: string) => formatDay(value, locale),
    }),
    [locale],
  );
}
