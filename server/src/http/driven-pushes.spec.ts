import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { WebSocket, WebSocketServer } from 'ws';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { PreSerialized, SharedPush, subscribeSharing } from '../common/shared-push';
import { SubscriptionQueue, ViewedPushes } from '../common/subscription-queue';
import { serveGraphqlWs } from './ws-transport';

/** a push: its value, or an error, perhaps only once `gate` resolves */
interface Push {
  value?: string;
  refused?: boolean;
  gate?: Promise<void>;
  /** a viewed push: the tiles' order for this subscriber, or skipped */
  order?: number[];
  skip?: boolean;
}

/**
 * A subscription whose stream is its own queue is driven (shared-push.ts): each push is executed and sent as it arrives,
 * not pulled through graphql-ws's loop. These pin that its frames are graphql-ws's own, byte for byte, and what happens
 * when a subscription ends while a push is on its way.
 */
describe('driven subscriptions over graphql-ws', () => {
  let server: Server;
  let url: string;
  let dispose: () => Promise<void>;
  /** each subscription's queue, by the name the client gave it (its `tag` argument) */
  const queues = new Map<string, SubscriptionQueue<Push>>();
  /** the shared items of a viewed push (a board's tiles): JSON made once, each subscriber's frame in its own order */
  const tiles = ['{"id":"a","taken":false}', '{"id":"ü","taken":true}', '{"id":"c","taken":false}'];
  const tileBytes = tiles.map((json) => Buffer.from(json));

  const resolveValue = async (push: Push) => {
    if (push.gate) await push.gate;
    if (push.refused) throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } });
    return push.value;
  };
  /** a subscriber's queue, kept by its tag for the spec to push into */
  const queueFor = (tag: string) => {
    const queue = new SubscriptionQueue<Push>(
      10,
      () => undefined,
      () => undefined,
    );
    queues.set(tag, queue);
    return queue;
  };
  const field = (iterated: boolean) => ({
    type: GraphQLString,
    args: { tag: { type: GraphQLString }, x: { type: GraphQLBoolean } },
    subscribe: (_: unknown, { tag }: { tag: string }) => {
      const queue = queueFor(tag);
      if (!iterated) return queue;
      // not the queue itself: graphql-ws's loop pulls it, as before
      return { [Symbol.asyncIterator]: () => ({ next: () => queue.next(), return: () => queue.return() }) };
    },
    // synchronous when it can be, as the compiled pushes are
    resolve: (push: Push) => (push.gate || push.refused ? resolveValue(push) : push.value),
  });
  /** as the board's: each push skipped or shown (perhaps after a read), its shared execution put in the subscriber's order */
  const view = (push: Push) => {
    if (push.skip) return undefined;
    const shown = () =>
      new SharedPush(push, (result) => ({
        ...result,
        data: { value: PreSerialized.array(tileBytes, push.order!) },
      }));
    return push.gate ? push.gate.then(shown) : shown();
  };
  const viewedField = (iterated: boolean) => ({
    type: new GraphQLList(GraphQLString),
    args: { tag: { type: GraphQLString } },
    subscribe: (_: unknown, { tag }: { tag: string }) => {
      const queue = queueFor(tag);
      // over something other than the queue itself, graphql-ws's loop pulls it
      const source = iterated ? { next: () => queue.next(), return: () => queue.return() } : queue;
      return new ViewedPushes(source, view);
    },
    resolve: () => [],
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        driven: field(false),
        iterated: field(true),
        viewed: viewedField(false),
        viewedIterated: viewedField(true),
      },
    }),
  });

  beforeAll(async () => {
    server = createServer();
    const wsServer = new WebSocketServer({ server, path: '/graphql' });
    const transport = serveGraphqlWs(
      {
        schema,
        context: (ctx, id, payload) => ({
          sendNext: (args: ExecutionArgs, result: ExecutionResult, written: (error?: Error | null) => void) =>
            transport.sendNext(ctx as WsContext<never, never>, id, payload as SubscribePayload, args, result, written),
        }),
        subscribe: (args) => subscribeSharing(args),
        // errors reach the client as the hook makes them; a result it answers nothing for goes as graphql-ws makes it
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors
            ? { ...result, errors: result.errors.map((e) => ({ message: `hooked: ${e.message}` })) }
            : undefined,
      },
      wsServer,
      () => ({}),
    );
    dispose = transport.dispose;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await dispose();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => queues.clear());

  /** a raw graphql-transport-ws client that keeps every frame it receives, as received */
  async function connect() {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const frames: string[] = [];
    const waiters: (() => void)[] = [];
    socket.on('message', (data) => {
      frames.push(String(data));
      waiters.splice(0).forEach((w) => w());
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const until = async (ok: () => boolean) => {
      while (!ok()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    await until(() => frames.length > 0);
    expect(JSON.parse(frames.shift()!).type).toBe('connection_ack');
    const subscribe = async (id: string, name: 'driven' | 'iterated' | 'viewed' | 'viewedIterated', tag: string) => {
      socket.send(
        JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { value: ${name}(tag: "${tag}") }` } }),
      );
      while (!queues.has(tag)) await new Promise((r) => setTimeout(r, 5));
      return queues.get(tag)!;
    };
    return { socket, frames, until, subscribe };
  }

  const tick = () => new Promise((r) => setTimeout(r, 20));

  it("sends graphql-ws's own frames, in order, values and errors (through its onNext hook) alike", async () => {
    const client = await connect();
    const driven = await client.subscribe('a', 'driven', 'd1');
    const iterated = await client.subscribe('a2', 'iterated', 'i1');
    const pushes: Push[] = [
      { value: 'one' },
      { refused: true },
      { value: 'three', gate: tick().then() },
      { value: 'ü' },
    ];
    for (const push of pushes) {
      driven.push(push);
      iterated.push(push);
    }
    await client.until(() => client.frames.length === 8);
    const of = (id: string) => client.frames.filter((f) => JSON.parse(f).id === id);
    expect(of('a').length).toBe(4);
    expect(of('a').map((f) => f.replace('"id":"a"', '"id":"a2"'))).toEqual(of('a2'));
    expect(of('a').map((f) => JSON.parse(f))).toEqual([
      { id: 'a', type: 'next', payload: { data: { value: 'one' } } },
      { id: 'a', type: 'next', payload: { data: { value: null }, errors: [{ message: 'hooked: refused' }] } },
      { id: 'a', type: 'next', payload: { data: { value: 'three' } } },
      { id: 'a', type: 'next', payload: { data: { value: 'ü' } } },
    ]);
    // the server ends both: each gets `complete` after its last push
    driven.push({ value: 'last', gate: tick().then() });
    await driven.return();
    await iterated.return();
    await client.until(() => client.frames.length === 10);
    expect(client.frames.slice(8).map((f) => JSON.parse(f))).toEqual(
      jasmine.arrayWithExactContents([
        { id: 'a', type: 'complete' },
        { id: 'a2', type: 'complete' },
      ]),
    );
    client.socket.close();
  });

  it("drives a viewed subscription: pushes skipped or shown, in order, each frame graphql-ws's own byte for byte", async () => {
    const client = await connect();
    const viewed = await client.subscribe('v', 'viewed', 'v1');
    const iterated = await client.subscribe('v2', 'viewedIterated', 'v2');
    const pushes: Push[] = [
      { order: [2, 0, 1] },
      { skip: true },
      { order: [1, 2, 0], gate: tick().then() },
      { skip: true, gate: tick().then() },
      { order: [0, 1, 2] },
      { order: [] },
    ];
    for (const push of pushes) {
      viewed.push(push);
      iterated.push(push);
    }
    await client.until(() => client.frames.length === 8);
    await tick();
    const of = (id: string) => client.frames.filter((f) => JSON.parse(f).id === id);
    // what graphql-ws's loop sends for a next message with these values (its stringifyMessage: JSON.stringify)
    const own = (order: number[]) =>
      JSON.stringify({
        id: 'v',
        type: 'next',
        payload: { data: { value: order.map((i) => JSON.parse(tiles[i]) as unknown) } },
      });
    expect(of('v')).toEqual([own([2, 0, 1]), own([1, 2, 0]), own([0, 1, 2]), own([])]);
    expect(of('v').map((f) => f.replace('"id":"v"', '"id":"v2"'))).toEqual(of('v2'));
    client.socket.close();
  });

  it('sends nothing more once the client completes it, not even the push being built then', async () => {
    const client = await connect();
    const driven = await client.subscribe('b', 'driven', 'd2');
    let open!: () => void;
    driven.push({ value: 'before' });
    driven.push({ value: 'being built', gate: new Promise((resolve) => (open = resolve)) });
    driven.push({ value: 'after' });
    await client.until(() => client.frames.length === 1);
    client.socket.send(JSON.stringify({ id: 'b', type: 'complete' }));
    while (!driven.closed) await new Promise((r) => setTimeout(r, 5));
    open();
    driven.push({ value: 'later' });
    await tick();
    expect(client.frames.map((f) => JSON.parse(f))).toEqual([
      { id: 'b', type: 'next', payload: { data: { value: 'before' } } },
    ]);
    // the id is free again: the same id subscribes anew and is served
    const again = await client.subscribe('b', 'driven', 'd3');
    again.push({ value: 'anew' });
    await client.until(() => client.frames.length === 2);
    expect(JSON.parse(client.frames[1])).toEqual({ id: 'b', type: 'next', payload: { data: { value: 'anew' } } });
    client.socket.close();
  });

  it('ends every subscription of a socket that closes in the middle of a fan-out, and writes nothing to it', async () => {
    const client = await connect();
    const driven = await client.subscribe('c', 'driven', 'd4');
    const other = await connect();
    const stays = await other.subscribe('c', 'driven', 'd5');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    driven.push({ value: 'in flight', gate });
    stays.push({ value: 'in flight', gate });
    client.socket.terminate();
    while (!driven.closed) await new Promise((r) => setTimeout(r, 5));
    open();
    driven.push({ value: 'after the close' });
    stays.push({ value: 'next' });
    await other.until(() => other.frames.length === 2);
    expect(other.frames.map((f) => JSON.parse(f).payload.data.value)).toEqual(['in flight', 'next']);
    expect(client.frames).toEqual([]);
    other.socket.close();
  });
});
