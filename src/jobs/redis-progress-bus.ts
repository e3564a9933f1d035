import { createPubSub } from "@graphql-yoga/subscription";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import Redis from "ioredis";
import type { JobProgressBus, SyncJobProgressEvent } from "./progress";

/**
 * Progress over Redis pub/sub (scale-out): a worker publishes, every gateway's subscribers
 * receive. Channels are `<prefix>:job-progress:<id>`. Subscribers still get the current
 * state from Brain first (SyncJobService.progress), so nothing published before they
 * attached is missed.
 */
export function createRedisBus(redisUrl: string, prefix: string): JobProgressBus {
  // A connection in subscriber mode can do nothing else: one to publish, one to listen.
  const publishClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
  const pubsub = createPubSub<{ [topic: string]: [SyncJobProgressEvent] }>({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
  });
  const topic = (id: string) => `${prefix}:job-progress:${id}`;
  return {
    publish: (e) => pubsub.publish(topic(e.jobId), e),
    subscribe: (jobId) => pubsub.subscribe(topic(jobId)) as any,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
