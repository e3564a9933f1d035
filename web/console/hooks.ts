import { useCallback, useEffect, useRef, useState } from "react";
import { request, type Doc, type GqlError } from "./api";

export interface QueryState<R> {
  /** The last answer for these variables (kept while a poll or refetch loads: nothing jumps while a page refreshes). */
  data: R | null;
  errors: GqlError[];
  /** True until the first answer for these variables. */
  loading: boolean;
  refetch(): Promise<void>;
}

/**
 * Runs a query when the variables change, and every `pollMs` while the page is visible (the
 * next poll is scheduled after an answer, never on top of one).
 */
export function useQuery<R, V>(
  doc: Doc<R, V>,
  variables: V,
  opts: { pollMs?: number; skip?: boolean } = {},
): QueryState<R> {
  const vars = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ vars: string; data: R | null; errors: GqlError[]; loading: boolean }>({
    vars,
    data: null,
    errors: [],
    loading: !opts.skip,
  });
  const seq = useRef(0);
  const docRef = useRef(doc);
  docRef.current = doc;

  const run = useCallback(async () => {
    const mine = ++seq.current;
    const r = await request(docRef.current, JSON.parse(vars) as V);
    if (mine !== seq.current) return; // a newer request answers instead
    setState({ vars, data: r.data, errors: r.errors, loading: false });
  }, [vars]);

  useEffect(() => {
    if (opts.skip) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!document.hidden) await run();
      if (!stopped && opts.pollMs) timer = setTimeout(tick, opts.pollMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      // A request counter, not a DOM node: bumping it at cleanup is the point (late answers are dropped).
      // eslint-disable-next-line react-hooks/exhaustive-deps
      seq.current++;
    };
  }, [vars, opts.pollMs, opts.skip, run]);

  // Another entity's or filter's answer is never shown as this one's: nothing until it answers.
  const current = state.vars === vars;
  return {
    data: current ? state.data : null,
    errors: current ? state.errors : [],
    loading: !opts.skip && (!current || state.loading),
    refetch: run,
  };
}

export interface MutationState {
  busy: boolean;
  errors: GqlError[];
}

/** A mutation: `run` resolves with its data (null when refused: the errors are in the state). */
export function useMutation<R, V>(doc: Doc<R, V>): [(variables: V) => Promise<R | null>, MutationState, () => void] {
  const [state, setState] = useState<MutationState>({ busy: false, errors: [] });
  const run = useCallback(
    async (variables: V) => {
      setState({ busy: true, errors: [] });
      const r = await request(doc, variables);
      setState({ busy: false, errors: r.errors });
      return r.errors.length ? null : r.data;
    },
    [doc],
  );
  const reset = useCallback(() => setState({ busy: false, errors: [] }), []);
  return [run, state, reset];
}
