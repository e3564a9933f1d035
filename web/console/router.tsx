/**
 * The console's pages are paths under /console (the gateway serves the page for each), their
 * filters the query string: a reload or a shared link opens the same view.
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

export const BASE = "/console";
const CHANGE = "console:navigate";

export interface Place {
  /** The path under /console, e.g. "/jobs/42" ("/" for /console itself). */
  path: string;
  query: URLSearchParams;
}

function current(): Place {
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return { path: rest.replace(/\/+$/, "") || "/", query: new URLSearchParams(location.search) };
}

export function usePlace(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    const update = () => setPlace(current());
    addEventListener("popstate", update);
    addEventListener(CHANGE, update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener(CHANGE, update);
    };
  }, []);
  return place;
}

/** `to` is under /console: "/jobs/42", "/outbox?state=FAILED". */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = BASE + to;
  if (url === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  dispatchEvent(new Event(CHANGE));
  if (!opts.replace) scrollTo(0, 0);
}

/** The same page with some query parameters changed (null or "" removes one); replaces the entry. */
export function setQuery(changes: Record<string, string | null | undefined>, opts: { push?: boolean } = {}): void {
  const { path, query } = current();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") query.delete(k);
    else query.set(k, v);
  }
  const qs = query.toString();
  navigate(`${path === "/" ? "" : path}${qs ? `?${qs}` : ""}`, { replace: !opts.push });
}

export function Link(
  props: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">,
) {
  const { to, children, ...rest } = props;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(e);
    // Let the browser open new tabs and windows itself.
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={BASE + to} onClick={onClick}>
      {children}
    </a>
  );
}
