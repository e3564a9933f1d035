import { createContext, useContext } from "react";
import type { ApiKeyRole, ConsoleViewerQuery } from "../../generated/console/graphql";

export type Viewer = ConsoleViewerQuery["viewer"];

const ORDER: readonly ApiKeyRole[] = ["READER", "WRITER", "OPERATOR", "ADMIN"];

/** Roles include the ones before them, as on the server (src/auth/roles.ts). */
export function roleIncludes(have: ApiKeyRole, need: ApiKeyRole): boolean {
  return ORDER.indexOf(have) >= ORDER.indexOf(need);
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  return useContext(ViewerContext)!;
}

/**
 * May this key use a button? The console hides what the key's role may not do; the gateway
 * refuses it anyway (FORBIDDEN), whatever a page shows.
 */
export function useCan(need: ApiKeyRole): boolean {
  return roleIncludes(useViewer().role, need);
}
