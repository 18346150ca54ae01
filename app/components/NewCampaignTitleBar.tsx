import { useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";

/** The App Bridge title bar of a page whose primary action opens the New campaign page. */
export function NewCampaignTitleBar({ title, actionLabel }: { title: string; actionLabel: string }) {
  const navigate = useNavigate();
  return (
    <TitleBar title={title}>
      {/* App Bridge title-bar buttons take `variant` (ui-title-bar markup), unknown to React's DOM list. */}
      {/* eslint-disable-next-line react/no-unknown-property */}
      <button variant="primary" onClick={() => navigate("/app/campaigns/new")}>
        {actionLabel}
      </button>
    </TitleBar>
  );
}
