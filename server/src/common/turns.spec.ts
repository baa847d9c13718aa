import type { NextFunction, Request, Response } from 'express';
import { RequestTurns, requestTurns } from './turns';

/** a Response that records what the middleware answered */
function recordingResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: any } = { headers: {} };
  const res = {
    status(code: number) {
      sent.status = code;
      return res;
    },
    set(name: string, value: string) {
      sent.headers[name] = value;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('requestTurns', () => {
  it('starts waiting requests one per turn, in order, and refuses beyond REQUEST_QUEUE_MAX with 429', async () => {
    const turns = requestTurns(new RequestTurns(2));
    const started: number[] = [];
    const answers = [0, 1, 2].map((n) => {
      const { res, sent } = recordingResponse();
      let done!: () => void;
      const passed = new Promise<void>((resolve) => (done = resolve));
      turns({} as Request, res, (() => {
        started.push(n);
        done();
      }) as NextFunction);
      return { sent, passed };
    });

    expect(answers[2].sent.status).toBe(429);
    expect(answers[2].sent.headers['retry-after']).toBe('1');
    expect(answers[2].sent.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(started).toEqual([]); // nobody starts in the turn they arrived in
    await answers[0].passed;
    expect(started).toEqual([0]); // one per turn
    await answers[1].passed;
    expect(started).toEqual([0, 1]);
    expect(answers[0].sent.status).toBeUndefined();
    expect(answers[1].sent.status).toBeUndefined();
  });
});

describe('RequestTurns', () => {
  it('is one queue: whoever waits in it (GraphQL or a file route) counts towards REQUEST_QUEUE_MAX, and turns come in order', async () => {
    const turns = new RequestTurns(2);
    const graphqlTurn = requestTurns(turns);
    const started: string[] = [];
    const { res } = recordingResponse();
    graphqlTurn({} as Request, res, (() => started.push('graphql')) as NextFunction);
    const fileTurn = turns.wait(); // what a file route awaits (file.routes.ts)
    expect(fileTurn).not.toBeNull();
    expect(turns.wait()).toBeNull(); // a third waiter is refused, whichever kind it is
    await fileTurn!.then(() => started.push('file'));
    expect(started).toEqual(['graphql', 'file']);
  });
});
