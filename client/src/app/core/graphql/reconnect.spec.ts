import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { settle } from '../../../testing/fakes';
import { Connection } from './connection';
import { refetchOnReconnect } from './reconnect';
import { ServerClock } from './server-clock';

describe('the reconnect hook', () => {
  const reconnects = signal(0);
  let refetches: number;
  let syncs: number;

  beforeEach(() => {
    reconnects.set(0);
    refetches = 0;
    syncs = 0;
    TestBed.configureTestingModule({
      providers: [
        { provide: Connection, useValue: { reconnects } },
        { provide: Apollo, useValue: { client: { refetchObservableQueries: async () => void refetches++ } } },
        { provide: ServerClock, useValue: { sync: async () => void syncs++ } },
      ],
    });
    TestBed.runInInjectionContext(refetchOnReconnect);
    TestBed.flushEffects();
  });

  it('re-reads every watched query and the clock once per reconnect, so nothing pushed while offline is missed', async () => {
    expect(refetches).withContext('not at start').toBe(0);
    reconnects.set(1);
    TestBed.flushEffects();
    await settle();
    expect(refetches).toBe(1);
    expect(syncs).toBe(1);
    reconnects.set(2);
    TestBed.flushEffects();
    await settle();
    expect(refetches).toBe(2);
  });
});
