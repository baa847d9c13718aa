import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { RedisConnections } from './redis';

/** What travels on an exam's topics: ids only, so every subscriber reads fresh, permission-checked data. */
export interface SittingEventPayload {
  examId: string;
  sittingId: string;
  studentId: string;
}
export interface BoardEventPayload {
  examId: string;
}

type Topics = {
  SITTING_CHANGED: [examId: string, payload: SittingEventPayload];
  QUESTIONS_RELEASED: [examId: string, payload: SittingEventPayload];
  TICKET_BOARD_CHANGED: [examId: string, payload: BoardEventPayload];
};

/**
 * Pub/sub with one topic per exam and kind. Callers publish only after the
 * write has committed (they call this after `flush()` returned).
 */
export class ExamEvents {
  private readonly pubSub: ReturnType<typeof createPubSub<Topics>>;

  /** in-process by default; through Redis (so every instance hears every exam) when given Redis connections */
  constructor(redis?: Pick<RedisConnections, 'publish' | 'subscribe'>) {
    this.pubSub = createPubSub<Topics>(redis
      ? { eventTarget: createRedisEventTarget({ publishClient: redis.publish, subscribeClient: redis.subscribe }) }
      : {});
  }

  sittingChanged(payload: SittingEventPayload): void {
    this.pubSub.publish('SITTING_CHANGED', payload.examId, payload);
  }

  questionsReleased(payload: SittingEventPayload): void {
    this.pubSub.publish('QUESTIONS_RELEASED', payload.examId, payload);
    this.sittingChanged(payload);
  }

  ticketBoardChanged(examId: string): void {
    this.pubSub.publish('TICKET_BOARD_CHANGED', examId, { examId });
  }

  subscribe<K extends keyof Topics>(topic: K, examId: string): AsyncIterable<Topics[K][1]> {
    return (this.pubSub.subscribe as (t: string, id: string) => AsyncIterable<Topics[K][1]>)(topic, examId);
  }
}
