const counts = new Intl.NumberFormat("en-US");
const percents = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const times = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium" });
const shortTimes = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "—" : counts.format(n));
export const formatPercent = (share: number | null | undefined) =>
  share === null || share === undefined ? "—" : percents.format(share);
export const formatTime = (iso: string | null | undefined) => (iso ? times.format(new Date(iso)) : "—");
/** For table cells: "Nov 25, 14:03" (the full time in its title). */
export const formatShortTime = (iso: string | null | undefined) => (iso ? shortTimes.format(new Date(iso)) : "—");

/** Seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** "3 min ago", "in 12 s". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const d = (new Date(iso).getTime() - now) / 1000;
  const a = Math.abs(d);
  const text =
    a < 60
      ? `${Math.round(a)} s`
      : a < 3600
        ? `${Math.round(a / 60)} min`
        : a < 86400
          ? `${Math.round(a / 3600)} h`
          : `${Math.round(a / 86400)} d`;
  return d < 0 ? `${text} ago` : `in ${text}`;
}

/** Names as the API spells them (VICI_IMPORT) in words (Vici import). */
export const KIND_LABELS: Record<string, string> = {
  VICI_IMPORT: "Vici import",
  VENDOR_CODES: "Write-back of vendor codes",
  FULL: "Full sync",
  CSV_IMPORT: "CSV import",
  ROLLBACK: "Rollback",
};
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;
