import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { EntityManager } from '@mikro-orm/core';
import { AuthSession } from '../modules/auth/auth-session.entity';
import { tokenHash } from '../modules/auth/auth.service';
import { Sitting } from '../modules/sittings/sitting.entity';
import { Ticket } from '../modules/tickets/ticket.entity';
import type { User } from '../modules/users/user.entity';
import { createExam, seedUniversity, type TestServer, type University } from './harness';

/**
 * A crowded exam for fan-out specs and benchmarks: N students enrolled, each already holding a
 * ticket and a session, written straight to the database (N logins would spend minutes in scrypt).
 */
export interface Crowd {
  staff: string;
  examId: string;
  students: { id: string; login: string; token: string }[];
  university: University;
}

export async function crowdedExam(
  server: TestServer,
  count: number,
  questions = (n: number) => `Questions of ticket ${n}`,
): Promise<Crowd> {
  const u = await seedUniversity(server, count);
  const staff = await server.login('staff');
  const examId = await createExam(server, staff, u);
  const em = server.app.orm.em.fork();
  const sittings = await em.find(
    Sitting,
    { exam: examId },
    { populate: ['student'], orderBy: { student: { login: 'asc' } } },
  );
  const students = sittings.map((sitting, i) => {
    sitting.ticket = em.create(Ticket, { exam: examId, number: i + 1, questions: questions(i + 1) });
    return { id: sitting.student.id, login: sitting.student.login, token: openSession(em, sitting.student) };
  });
  await em.flush();
  return { staff, examId, students, university: u };
}

/** A second exam of the same students, none holding a ticket yet, with `tickets` free tickets: every student sees the board. */
export async function boardExam(
  server: TestServer,
  crowd: Crowd,
  tickets: number,
): Promise<{ examId: string; ticketIds: string[] }> {
  const examId = await createExam(server, crowd.staff, crowd.university);
  const em = server.app.orm.em.fork();
  const created = Array.from({ length: tickets }, (_, i) =>
    em.create(Ticket, { exam: examId, number: i + 1, questions: `Questions of ticket ${i + 1}` }),
  );
  await em.flush();
  return { examId, ticketIds: created.map((t) => t.id) };
}

/** A signed-in session for `user`, written to the unit of work (flushed by the caller): its bearer token. */
export function openSession(em: EntityManager, user: User, hours = 1): string {
  const token = randomBytes(24).toString('base64url');
  em.create(AuthSession, { tokenHash: tokenHash(token), user, expiresAt: new Date(Date.now() + hours * 3600_000) });
  return token;
}

/**
 * One raw graphql-transport-ws socket holding one subscription: lighter than a graphql-ws client,
 * so a spec can open thousands. `nexts` counts pushes; `onNext` sees each.
 */
export interface RawSubscriber {
  socket: WebSocket;
  nexts: number;
  /** the subscription id of every `next` received, and how many came as binary frames (graphql-ws sends text) */
  nextIds: string[];
  binaryFrames: number;
  errors: unknown[];
  closed: Promise<number>;
  onNext?: (payload: any) => void;
}

export function rawSubscribe(
  wsUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  id = '1',
): Promise<RawSubscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const sub: RawSubscriber = {
      socket,
      nexts: 0,
      nextIds: [],
      binaryFrames: 0,
      errors: [],
      closed: new Promise((done) => socket.once('close', (code) => done(code))),
    };
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (raw, binary) => {
      if (binary) sub.binaryFrames++;
      const message = JSON.parse(raw.toString());
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
        resolve(sub);
      } else if (message.type === 'next') {
        sub.nextIds.push(message.id);
        if (message.payload.errors) sub.errors.push(...message.payload.errors);
        else {
          sub.nexts++;
          sub.onNext?.(message.payload.data);
        }
      } else if (message.type === 'error') {
        sub.errors.push(message.payload);
      }
    });
  });
}

/** opens `count` subscribers, `parallel` at a time (a burst of thousands of handshakes is not what is measured) */
export async function rawSubscribers(
  count: number,
  parallel: number,
  open: (i: number) => Promise<RawSubscriber>,
): Promise<RawSubscriber[]> {
  const subs: RawSubscriber[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        subs[i] = await open(i);
      }
    }),
  );
  return subs;
}
