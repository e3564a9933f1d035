import { createContext, useContext } from "react";
import type { ApiKeyRole, ConsoleViewerQuery } from "../../generated/console/graphql";

export type Viewer = ConsoleViewerQuery["viewer"];

const ORDER: readonly ApiKeyRole[] = ["READER", "WRITER", "OPERATOR", "ADMIN"];

/** Roles include the ones before them, as on the server (src/auth/roles.ts). */
export function roleIncludes(have: ApiKeyRole, need: ApiKeyRole): boolean {
  return ORDER.indexOf(have) >= ORDER.indexOf(need);
}

/** The key's viewer; null while the gateway has not said yet (pages load meanwhile, role-gated buttons wait). */
export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/**
 * May this key use a button? The console hides what the key's role may not do (and all of it
 * until the gateway has said who the key is); the gateway refuses it anyway (FORBIDDEN).
 */
export function useCan(need: ApiKeyRole): boolean {
  const v = useViewer();
  return !!v && roleIncludes(v.role, need);
}
