// Formatting shared by pages (client and server): one locale until the app is translated.
const LOCALE = "en-US";

export function formatNumber(value: number): string {
  return value.toLocaleString(LOCALE);
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return (
    new Date(value).toLocaleString(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) +
    " UTC"
  );
}

/** Fills `{name}` placeholders of a string from app/strings.ts. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    return value === undefined ? "" : typeof value === "number" ? formatNumber(value) : value;
  });
}

/** The numeric part of a customer GID, as the admin shows it. */
export function customerNumber(gid: string): string {
  return gid.split("/").pop() ?? gid;
}
