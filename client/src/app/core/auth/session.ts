import { computed, Injectable, signal } from '@angular/core';
import type { Role } from '../graphql/generated';

export interface SessionUser {
  readonly id: string;
  readonly login: string;
  readonly fullName: string;
  readonly role: Role;
}

interface StoredSession {
  readonly token: string;
  readonly user: SessionUser;
}

const SESSION_STORAGE_KEY = 'attestation.session';

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<StoredSession>) : null;
    return parsed?.token && parsed.user?.id ? (parsed as StoredSession) : null;
  } catch {
    return null;
  }
}

/**
 * Who is signed in: the login token and the user, kept in localStorage so a reload stays signed in.
 * Holds no Apollo so the GraphQL links can read the token without a dependency cycle.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly state = signal<StoredSession | null>(readStored());

  readonly token = computed(() => this.state()?.token ?? null);
  readonly user = computed(() => this.state()?.user ?? null);
  /** set when the server stopped accepting the token; the shell then sends the user to the login page */
  readonly expired = signal(false);

  start(token: string, user: SessionUser): void {
    this.state.set({ token, user });
    this.expired.set(false);
    try {
      localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ token, user }));
    } catch {
      // private mode: signed in for this page only
    }
  }

  end(reason: 'signed-out' | 'expired' = 'signed-out'): void {
    if (!this.state()) return;
    this.state.set(null);
    this.expired.set(reason === 'expired');
    try {
      localStorage.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // nothing stored
    }
  }
}
