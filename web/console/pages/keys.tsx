import { useState } from "react";
import {
  ConsoleApiKeysDocument,
  ConsoleCreateApiKeyDocument,
  ConsoleRevokeApiKeyDocument,
  type ApiKeyRole,
  type KeyRowFragment,
} from "../../../generated/console/graphql";
import { ConfirmDialog, Empty, ErrorBanner, Loading, useDialog } from "../components";
import { formatShortTime, formatTime } from "../format";
import { useMutation, useQuery } from "../hooks";
import { useCan, useViewer } from "../session";

const ROLES: ApiKeyRole[] = ["READER", "WRITER", "OPERATOR", "ADMIN"];

export function KeysPage() {
  const isAdmin = useCan("ADMIN");
  const me = useViewer();
  const keys = useQuery(ConsoleApiKeysDocument, {}, { skip: !isAdmin });
  const [create, created] = useMutation(ConsoleCreateApiKeyDocument);
  const [revoke, revoked] = useMutation(ConsoleRevokeApiKeyDocument);
  const [name, setName] = useState("");
  const [role, setRole] = useState<ApiKeyRole>("READER");
  const [pii, setPii] = useState(false);
  const [shown, setShown] = useState<{ key: string; name: string } | null>(null);
  const revoking = useDialog<KeyRowFragment>();

  if (!isAdmin || !me) {
    return (
      <main>
        <h1>Keys</h1>
        {me ? <Empty>Managing keys needs an admin key.</Empty> : <Loading what="the key's role" />}
      </main>
    );
  }
  return (
    <main>
      <h1>Keys</h1>
      <form
        className="form inline-form"
        data-testid="create-key"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await create({ input: { name: name.trim(), role, scopes: pii ? ["PII"] : [] } });
          if (r) {
            setShown({ key: r.createApiKey.key, name: r.createApiKey.apiKey.name });
            setName("");
            void keys.refetch();
          }
        }}
      >
        <label>
          Name{" "}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            placeholder="who or what it is for"
          />
        </label>
        <label>
          Role{" "}
          <select value={role} onChange={(e) => setRole(e.target.value as ApiKeyRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" checked={pii} onChange={(e) => setPii(e.target.checked)} /> pii (phones unmasked)
        </label>
        <button type="submit" className="primary" disabled={created.busy}>
          Create key
        </button>
      </form>
      <ErrorBanner errors={created.errors} />
      {shown && (
        <div className="banner banner-ok" role="status" data-testid="new-key">
          <p>
            The key for <strong>{shown.name}</strong>, shown this once: copy it now.
          </p>
          <input
            className="secret"
            readOnly
            value={shown.key}
            onFocus={(e) => e.target.select()}
            aria-label="The new key"
          />
          <button type="button" onClick={() => setShown(null)}>
            I have copied it
          </button>
        </div>
      )}
      <ErrorBanner errors={[...keys.errors, ...revoked.errors]} />
      {!keys.data ? (
        keys.loading && <Loading what="keys" />
      ) : (
        <div className="scroll">
          <table className="grid" data-testid="keys">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Revoked</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((k) => (
                <tr key={k.id} data-key={k.id} className={k.revokedAt ? "revoked" : undefined}>
                  <td>
                    <code>{k.id}</code>
                    {k.id === me.keyId && <span className="badge">this key</span>}
                  </td>
                  <td>{k.name}</td>
                  <td>{k.role.toLowerCase()}</td>
                  <td>{k.scopes.join(", ").toLowerCase()}</td>
                  <td>
                    <span title={formatTime(k.createdAt)}>{formatShortTime(k.createdAt)}</span>
                    {k.createdBy ? <span className="muted"> by {k.createdBy}</span> : null}
                  </td>
                  <td title={formatTime(k.lastUsedAt)}>{formatShortTime(k.lastUsedAt)}</td>
                  <td title={formatTime(k.revokedAt)}>{formatShortTime(k.revokedAt)}</td>
                  <td>
                    {!k.revokedAt && (
                      <button type="button" className="danger" onClick={() => revoking.open(k)}>
                        Revoke…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking.subject !== null}
        title={`Revoke key ${revoking.subject?.id ?? ""}?`}
        confirmLabel="Revoke"
        danger
        busy={revoked.busy}
        errors={revoked.errors}
        onCancel={revoking.close}
        onConfirm={async () => {
          const k = revoking.subject!;
          if (await revoke({ id: k.id })) {
            revoking.close();
            void keys.refetch();
          }
        }}
      >
        <p>
          “{revoking.subject?.name}” is refused from now on, its open progress streams closed.
          {revoking.subject?.id === me.keyId && " This is the key this console uses: you will be asked for another."}
        </p>
      </ConfirmDialog>
    </main>
  );
}
