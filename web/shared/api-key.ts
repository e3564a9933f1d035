/**
 * The API key in the browser, shared by the gateway's pages (the IDE, the console): pasted by
 * the user, or taken from the URL fragment of the link the demo prints (#key=..., which
 * browsers never send to a server), and kept in this browser's storage. Pages carry no secret.
 */
const KEY_STORAGE = "vici-brain:api-key";

/** A key from the demo's link (#key=...) is stored, then removed from the address bar and history. */
function keyFromFragment(): string | null {
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  if (!key) return null;
  history.replaceState(history.state, "", location.pathname + location.search);
  return key.trim();
}

/** The key to use: the link's, else the stored one, else "". */
export function storedKey(): string {
  const fromLink = keyFromFragment();
  if (fromLink) localStorage.setItem(KEY_STORAGE, fromLink);
  return localStorage.getItem(KEY_STORAGE) ?? "";
}

export function saveKey(key: string): void {
  localStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey(): void {
  localStorage.removeItem(KEY_STORAGE);
}

/** vbg_<id>_<secret>: the public id is enough to tell keys apart. */
export function keyId(key: string): string | null {
  return /^vbg_([0-9a-f]{12})_/.exec(key)?.[1] ?? null;
}
