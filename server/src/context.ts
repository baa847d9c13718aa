import type { EntityManager } from '@mikro-orm/core';
import type { User } from './modules/users/user.entity';
import type { Services } from './services';

/** Per-operation context: every HTTP request and every WebSocket operation gets its own forked EntityManager. */
export interface Context {
  em: EntityManager;
  user: User | null;
  services: Services;
  /** the raw Authorization value, for logout */
  authorization?: string;
  /** over WebSocket: closes this operation's socket (a subscriber too slow to keep up is dropped so it reconnects) */
  closeSocket?: (code: number, reason: string) => void;
  /** over WebSocket, for a subscription: its push has been built (frees the push slot before the send) */
  pushBuilt?: () => void;
}
