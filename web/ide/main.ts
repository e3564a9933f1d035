/**
 * The gateway's GraphQL IDE: GraphiQL (docs, history, variables and headers panes), bundled at
 * build time and served by the gateway itself, so it works on a closed network. The page
 * carries no secret: the API key is pasted here (or comes in the URL fragment of the link the
 * demo prints, which browsers never send to a server) and is kept in this browser's storage.
 * Queries and mutations go over HTTP, subscriptions over graphql-ws, both with the key.
 */
import { createElement as h, useState, type ReactElement } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { createClient, type Client } from "graphql-ws";
import { parse, type OperationDefinitionNode } from "graphql";
import "graphiql/style.css";
import "./ide.css";
import { forgetKey, keyId, saveKey, storedKey } from "../shared/api-key";

const httpUrl = new URL(location.pathname, location.origin).toString();
const wsUrl = httpUrl.replace(/^http/, "ws");

/** Headers of the headers pane, with the key unless the pane sends its own Authorization. */
function withKey(key: string, headers: Record<string, unknown> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null) out[k] = String(v);
  if (key && !Object.keys(out).some((k) => k.toLowerCase() === "authorization" || k.toLowerCase() === "x-api-key")) {
    out.authorization = `Bearer ${key}`;
  }
  return out;
}

function isSubscription(query: string, operationName?: string | null): boolean {
  try {
    const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    const op = operationName ? ops.find((d) => d.name?.value === operationName) : ops[0];
    return op?.operation === "subscription";
  } catch {
    return false;
  }
}

/** One graphql-ws client per set of credentials (the key travels in connectionParams). */
const wsClients = new Map<string, Client>();
function wsClient(params: Record<string, string>): Client {
  const id = JSON.stringify(params);
  let client = wsClients.get(id);
  if (!client) {
    client = createClient({ url: wsUrl, connectionParams: params, lazy: true, retryAttempts: 0 });
    wsClients.set(id, client);
  }
  return client;
}

function fetcherFor(key: string): Fetcher {
  const http = createGraphiQLFetcher({ url: httpUrl });
  return (params, opts) => {
    const headers = withKey(key, opts?.headers);
    if (!isSubscription(params.query, params.operationName)) return http(params, { ...opts, headers });
    const auth = Object.entries(headers).find(([k]) => ["authorization", "x-api-key"].includes(k.toLowerCase()));
    // GraphiQL renders results as sent (formatted errors), whatever its type says.
    return wsClient(auth ? { [auth[0].toLowerCase()]: auth[1] } : {}).iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    }) as unknown as ReturnType<Fetcher>;
  };
}

const EXAMPLE = `# Welcome to vici-brain's GraphQL IDE. Run with Ctrl-Enter.
query Leads {
  leads(first: 10) {
    totalCount
    edges { node { externalLeadId phone firstName lastCallAt doNotCall vici { leadId campaignId status { code category } } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

function KeyBar(props: { apiKey: string; onChange(key: string): void }): ReactElement {
  const [draft, setDraft] = useState("");
  const save = () => {
    const key = draft.trim();
    if (!key) return;
    saveKey(key);
    setDraft("");
    props.onChange(key);
  };
  const forget = () => {
    forgetKey();
    props.onChange("");
  };
  if (props.apiKey) {
    const id = keyId(props.apiKey) ?? "(not a vbg_ key)";
    return h(
      "div",
      { className: "vb-keybar", "data-testid": "key-bar" },
      h("span", null, "API key ", h("code", { "data-testid": "key-id" }, id), " (kept in this browser)"),
      h("button", { type: "button", onClick: forget }, "Forget key"),
    );
  }
  return h(
    "form",
    {
      className: "vb-keybar vb-keybar-missing",
      "data-testid": "key-bar",
      onSubmit: (e: Event) => {
        e.preventDefault();
        save();
      },
    },
    h("label", { htmlFor: "vb-key" }, "Paste an API key (vbg_...; create one with npx vici-brain keys create):"),
    h("input", {
      id: "vb-key",
      type: "password",
      autoComplete: "off",
      value: draft,
      onChange: (e: { target: HTMLInputElement }) => setDraft(e.target.value),
    }),
    h("button", { type: "submit" }, "Use key"),
  );
}

function App(): ReactElement {
  const [key, setKey] = useState(storedKey);
  return h(
    "div",
    { className: "vb-app" },
    h(KeyBar, { apiKey: key, onChange: setKey }),
    h(
      "div",
      { className: "vb-ide" },
      // A new fetcher (and schema fetch) whenever the key changes.
      // Without a key there is no schema to ask for (it would only be refused).
      h(GraphiQL, {
        key,
        fetcher: fetcherFor(key),
        schema: key ? undefined : null,
        defaultQuery: EXAMPLE,
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: false,
      }),
    ),
  );
}

createRoot(document.getElementById("ide")!).render(h(App));
