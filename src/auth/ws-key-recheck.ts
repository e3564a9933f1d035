import type { Logger } from "pino";
import type { WebSocket } from "ws";
import { UnauthenticatedError } from "../errors/errors";
import type { ApiKeyService } from "./api-key.service";

/**
 * A graphql-ws socket is authenticated when it opens and at each operation, but a subscription
 * (a job's progress) can stream for hours. This re-checks the key of every open socket every
 * `everyMs` and closes the sockets whose key was revoked with 4401, so a revoked key stops
 * streaming too. A check that fails for another reason (Brain unreachable) leaves the socket
 * open: a database blip must not cut every dashboard off.
 */
export class WsKeyRecheck {
  private readonly keys = new Map<WebSocket, string | null>();
  private readonly timer: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly apiKeys: ApiKeyService,
    everyMs: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  /** Follows a socket's key until the socket closes. */
  track(socket: WebSocket, key: string | null): void {
    this.keys.set(socket, key);
    socket.once("close", () => this.keys.delete(socket));
  }

  async check(): Promise<void> {
    if (this.running) return; // a slow Brain: the previous round is still going
    this.running = true;
    try {
      for (const [socket, key] of [...this.keys]) {
        try {
          await this.apiKeys.authenticate(key);
        } catch (e) {
          if (!(e instanceof UnauthenticatedError)) continue;
          this.log.info(
            { event: "ws_key_revoked" },
            "closing a graphql-ws socket: its API key no longer authenticates",
          );
          this.keys.delete(socket);
          socket.close(4401, e.message.slice(0, 120));
        }
      }
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.keys.clear();
  }
}
