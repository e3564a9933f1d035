import { getOperationAST, GraphQLError, type ExecutionArgs } from "graphql";
import type { Logger } from "pino";
import type { RequestContext } from "../context";
import { GatewayError } from "../errors/errors";
import { errorCode, loggedOperationName, logUnexpected } from "./graphql-plugin";
import type { GatewayMetrics } from "./metrics";

interface WsOperation {
  log: Logger;
  started: number;
  name: string | null;
  type: string;
  codes: string[];
  keyId: string | null;
}

/**
 * operationObserver for graphql-ws, fed by useServer's hooks: one "graphql operation" line
 * (transport ws) and the same metrics per operation, when it completes — for a subscription,
 * when its stream ends (the client stopped, the job finished, the socket closed), so its
 * duration is how long it streamed. Errors refused before execution (validation, the key, the
 * limits) are one line at once.
 */
export class WsOperationObserver {
  /** Per socket (graphql-ws's context object): its running operations by id. */
  private readonly running = new WeakMap<object, Map<string, WsOperation>>();

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly log: Logger,
  ) {}

  /** Execution begins: graphql-ws has just built the operation's context. */
  started(socket: object, id: string, context: RequestContext, args: ExecutionArgs): void {
    const op = getOperationAST(args.document, args.operationName);
    const ops = this.running.get(socket) ?? new Map<string, WsOperation>();
    this.running.set(socket, ops);
    ops.set(id, {
      log: context.log,
      started: performance.now(),
      name: args.operationName ?? op?.name?.value ?? null,
      type: op?.operation ?? "unknown",
      codes: [],
      keyId: context.principal?.keyId ?? null,
    });
  }

  /**
   * Errors in a result, of a stream, or before execution (then the operation ends here).
   * Returns them as the client gets them: graphql-ws's own parse and validation errors carry
   * no code, and are given the one Apollo gives them over HTTP.
   */
  errors(
    socket: object,
    id: string,
    operationName: string | null | undefined,
    errors: readonly GraphQLError[],
  ): readonly GraphQLError[] {
    const op = this.running.get(socket)?.get(id);
    const named = errors.map((e) => withCode(e, !op));
    logUnexpected(op?.log ?? this.log, named);
    if (op) {
      op.codes.push(...named.map(errorCode));
      return named;
    }
    this.record(this.log, operationName ?? null, "unknown", 0, named.map(errorCode), null);
    return named;
  }

  /** A socket refused at connection (no or a bad key: 4401; an address that failed too often: 4429): logged and counted with its code. */
  refused(code: string): void {
    this.record(this.log, null, "unknown", 0, [code], null);
  }

  completed(socket: object, id: string): void {
    const ops = this.running.get(socket);
    const op = ops?.get(id);
    if (!op) return;
    ops!.delete(id);
    this.record(op.log, op.name, op.type, (performance.now() - op.started) / 1000, op.codes, op.keyId);
  }

  private record(
    log: Logger,
    name: string | null,
    type: string,
    seconds: number,
    codes: string[],
    keyId: string | null,
  ): void {
    this.metrics.operationDuration.observe({ operation: this.metrics.operationLabel(name, keyId), type }, seconds);
    for (const code of codes) this.metrics.errors.inc({ code });
    log.info(
      { operation: loggedOperationName(name), type, ms: Math.round(seconds * 1000), transport: "ws", errors: codes },
      "graphql operation",
    );
  }
}

/**
 * The code the client should see: graphql-ws wraps an error thrown by a stream (a
 * GatewayError too) in a GraphQLError without its code, and its own validation errors have none.
 */
function withCode(e: GraphQLError, beforeExecution: boolean): GraphQLError {
  if (e.extensions?.code !== undefined) return e;
  const code =
    e.originalError instanceof GatewayError
      ? e.originalError.extensions
      : !e.originalError && beforeExecution
        ? { code: "GRAPHQL_VALIDATION_FAILED" }
        : null;
  if (!code) return e;
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    path: e.path,
    originalError: e.originalError,
    extensions: { ...e.extensions, ...code },
  });
}
