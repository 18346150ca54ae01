import { Banner, List } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useMessage } from "~/hooks/useMessage";
import type { FieldMessages } from "~/i18n/message";

/** A form the action refused: "Some fields need your attention.", with the refusals listed when given. */
export function FixFieldsBanner({ list }: { list?: FieldMessages }) {
  const { t } = useTranslation();
  const { text } = useMessage();
  return (
    <Banner tone="critical" title={t("common.fixFields")}>
      {list ? (
        <List>
          {Object.entries(list).map(([field, error]) => (
            <List.Item key={field}>{text(error)}</List.Item>
          ))}
        </List>
      ) : null}
    </Banner>
  );
}
