/**
 * The console's only way to the gateway: GraphQL over HTTP (queries, mutations) and graphql-ws
 * (progress subscriptions), both at this origin's /graphql with the user's API key. Operations
 * are the typed documents codegen writes from web/console/operations/*.graphql.
 */
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { createClient, type Client } from "graphql-ws";

/** An error as the gateway typed it (extensions.code), or NETWORK when it did not answer. */
export class GqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface GqlResult<R> {
  /** What answered: with VICI_UNAVAILABLE, Brain's fields still do. */
  data: R | null;
  errors: GqlError[];
}

export type Doc<R, V> = DocumentTypeDecoration<R, V>;

let apiKey = "";
let ws: Client | null = null;
let onRefused: (message: string) => void = () => undefined;

/** Every request from now on goes with this key; open subscriptions are closed. */
export function setApiKey(key: string): void {
  apiKey = key;
  void ws?.dispose();
  ws = null;
}

/** Called when the gateway refuses the key (401, or a socket closed with 4401): revoked or unknown. */
export function onKeyRefused(fn: (message: string) => void): void {
  onRefused = fn;
}

const authHeader = () => ({ authorization: `Bearer ${apiKey}` });

/** One operation over HTTP. Never throws: errors come back typed, next to whatever data answered. */
export async function request<R, V>(doc: Doc<R, V>, variables?: V): Promise<GqlResult<R>> {
  let res: Response;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...authHeader() },
      body: JSON.stringify({ query: String(doc), variables: variables ?? {} }),
    });
  } catch {
    return { data: null, errors: [new GqlError("The gateway did not answer: is it running?", "NETWORK", 0)] };
  }
  let body: { data?: R | null; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
  try {
    body = await res.json();
  } catch {
    return {
      data: null,
      errors: [new GqlError(`The gateway answered HTTP ${res.status}`, `HTTP_${res.status}`, res.status)],
    };
  }
  const errors = (body.errors ?? []).map(
    (e) => new GqlError(e.message, e.extensions?.code ?? "INTERNAL_SERVER_ERROR", res.status, e.extensions?.field),
  );
  const refused = errors.find((e) => e.code === "UNAUTHENTICATED");
  if (refused) onRefused(refused.message);
  return { data: body.data ?? null, errors };
}

function client(): Client {
  ws ??= createClient({
    url: new URL("/graphql", location.href).toString().replace(/^http/, "ws"),
    connectionParams: authHeader,
    lazy: true,
    // A refused key is final; anything else (a restart, a proxy) is worth a few tries.
    retryAttempts: 5,
    shouldRetry: (e) => !(isClose(e) && e.code === 4401),
    on: {
      closed: (e) => {
        if (isClose(e) && e.code === 4401) onRefused(e.reason || "the key was refused");
      },
    },
  });
  return ws;
}

function isClose(e: unknown): e is { code: number; reason: string } {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "number";
}

export interface Sink<R> {
  next(data: R): void;
  error(e: GqlError): void;
  complete(): void;
}

/** A subscription over graphql-ws; returns its stop function. */
export function subscribe<R, V>(doc: Doc<R, V>, variables: V, sink: Sink<R>): () => void {
  return client().subscribe<R>(
    { query: String(doc), variables: variables as Record<string, unknown> },
    {
      next: (r) => {
        const err = r.errors?.[0] as { message: string; extensions?: { code?: string } } | undefined;
        if (err) sink.error(new GqlError(err.message, err.extensions?.code ?? "INTERNAL_SERVER_ERROR", 0));
        else if (r.data) sink.next(r.data);
      },
      error: (e) => {
        if (Array.isArray(e)) {
          const first = e[0] as { message: string; extensions?: { code?: string } };
          sink.error(new GqlError(first.message, first.extensions?.code ?? "INTERNAL_SERVER_ERROR", 0));
        } else if (isClose(e))
          sink.error(
            new GqlError(
              `The progress stream closed (${e.code} ${e.reason})`,
              e.code === 4401 ? "UNAUTHENTICATED" : "NETWORK",
              0,
            ),
          );
        else sink.error(new GqlError("The progress stream broke off", "NETWORK", 0));
      },
      complete: () => sink.complete(),
    },
  );
}

/**
 * GET with the key (the job report): a plain link cannot send an Authorization header, so the
 * file is fetched and handed to the browser as a download.
 */
export async function download(path: string, fileName: string): Promise<GqlError | null> {
  let res: Response;
  try {
    res = await fetch(path, { headers: authHeader() });
  } catch {
    return new GqlError("The gateway did not answer: is it running?", "NETWORK", 0);
  }
  if (res.status === 401) {
    onRefused("the key was refused");
    return new GqlError("The key was refused", "UNAUTHENTICATED", 401);
  }
  if (!res.ok) return new GqlError(`The download failed: HTTP ${res.status}`, `HTTP_${res.status}`, res.status);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}
