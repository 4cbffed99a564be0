import type { ListingStatus } from "../../workers/domain/listing-views.ts";

const BADGES: Record<ListingStatus, { label: string; tone: string }> = {
  draft: { label: "Draft", tone: "muted" },
  active: { label: "Live", tone: "ok" },
  paused: { label: "Paused", tone: "warn" },
  suspended: { label: "Suspended", tone: "danger" },
  deleted: { label: "Deleted", tone: "danger" },
};

export function StatusBadge({ status }: { status: ListingStatus }) {
  const badge = BADGES[status];
  return <span class={`badge badge--${badge.tone}`}>{badge.label}</span>;
}
