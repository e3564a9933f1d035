/**
 * The Non-Agent API's result lines (API.md): every `SUCCESS:` / `NOTICE:` / `ERROR:` line of a
 * body, split into kind, function, reason and fields. Pure.
 */

export type ApiLineKind = "SUCCESS" | "NOTICE" | "ERROR";

/** One result line of the API body. */
export interface ApiLine {
  kind: ApiLineKind;
  /** The function named at the start of the message (`add_lead`, `update_lead`, `auth`,
   * `user_group`...), "" for lines without one (`Login incorrect...`, `NO FUNCTION SPECIFIED`). */
  fn: string;
  /** The text between the function and the data, e.g. `LEAD HAS BEEN ADDED`. */
  reason: string;
  /**
   * The data: after ` - ` split on `|`, or after `: |` (the leading `|` dropped) split on `|`,
   * or after `: ` split on `|`. Positions are kept exactly: a trailing `|` gives a trailing ""
   * (`|apiuser|wrong|BAD|` → ["apiuser", "wrong", "BAD", ""]), because in some lines the last
   * position is a real, empty value (update_lead's `|user|lead_id|vlc|phone` with no phone).
   */
  fields: string[];
  /** The line from its marker to the end of the line (no newline). */
  raw: string;
}

const LINE_RE = /(SUCCESS|NOTICE|ERROR): ([^\n]*)/g;
const FN_RE = /^([a-z][a-z0-9_]*) /;

/**
 * Finds every `SUCCESS: ` / `NOTICE: ` / `ERROR: ` in the body — anywhere, not only at line
 * starts (multi_alt_phones prints debug text right before its NOTICE, without a newline) —
 * and splits each into kind, function, reason and fields. A line runs to the next newline;
 * markers inside an already matched line are part of that line. Pure; never throws.
 */
export function parseApiLines(body: string): ApiLine[] {
  const out: ApiLine[] = [];
  if (typeof body !== "string" || body === "") return out;
  for (const m of body.matchAll(LINE_RE)) {
    const kind = m[1] as ApiLineKind;
    const rest = m[2].replace(/\r$/, "");
    out.push(splitLine(kind, rest, `${kind}: ${rest}`));
  }
  return out;
}

function splitLine(kind: ApiLineKind, rest: string, raw: string): ApiLine {
  let fn = "";
  let text = rest;
  const f = FN_RE.exec(rest);
  if (f) {
    fn = f[1];
    text = rest.slice(f[0].length);
  }
  const dash = text.indexOf(" - ");
  const colonPipe = text.indexOf(": |");
  let reason: string;
  let data: string | null;
  if (dash >= 0 && (colonPipe < 0 || dash < colonPipe)) {
    reason = text.slice(0, dash);
    data = text.slice(dash + 3);
  } else if (colonPipe >= 0) {
    reason = text.slice(0, colonPipe);
    data = text.slice(colonPipe + 3);
  } else {
    const colon = text.indexOf(": ");
    if (colon >= 0) {
      reason = text.slice(0, colon);
      data = text.slice(colon + 2);
    } else {
      reason = text;
      data = null;
    }
  }
  return { kind, fn, reason: reason.trim(), fields: data === null ? [] : data.split("|"), raw };
}

/** Login, lockout, IP, permission and user-group lines: the API user itself is refused. */
export function isAuthLine(line: ApiLine): boolean {
  if (line.kind !== "ERROR") return false;
  const r = line.reason;
  return (
    /^Login incorrect/i.test(r) ||
    /^Too many login attempts/i.test(r) ||
    /^Your IP Address is not allowed/i.test(r) ||
    /USER DOES NOT HAVE PERMISSION/.test(r) ||
    (line.fn === "user_group" && /DOES NOT EXIST/.test(r))
  );
}
