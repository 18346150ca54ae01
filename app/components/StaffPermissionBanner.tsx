import { Banner, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { StaffRefusal } from "~/constants/shopify";

/**
 * Why this staff member cannot send invites or get activation links here (decision 008): shown above
 * the page, whose sending buttons are then disabled; reading stays available.
 */
export function StaffPermissionBanner({ refusal }: { refusal: StaffRefusal | null | undefined }) {
  const { t } = useTranslation();
  if (!refusal) return null;
  return (
    <Banner
      tone={refusal === "customerWriteRequired" ? "warning" : "critical"}
      title={t(`staff.${refusal}.title`)}
    >
      <Text as="p">{t(`staff.${refusal}.body`)}</Text>
    </Banner>
  );
}
