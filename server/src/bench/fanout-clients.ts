import WebSocket from 'ws';
import { rawSubscribe, rawSubscribers, type RawSubscriber } from '../testing/crowd';

/**
 * The fan-out benchmark's clients, in a process of their own so the server's event loop only
 * serves: opens N sockets (graphql-ws subscribers, or plain sockets to the raw broadcast) and
 * reports when the last of them (or the `expect`ed number) has received one message.
 */
type Command =
  | { cmd: 'subscribe'; wsUrl: string; tokens: string[]; query: string; variables: Record<string, unknown> }
  | { cmd: 'connect'; wsUrl: string; count: number }
  | { cmd: 'arm'; expect?: number }
  | { cmd: 'close' };

let sockets: WebSocket[] = [];
let pending = 0;
let received = 0;
let armed = false;
const firsts = new WeakSet<WebSocket>();

function receipt(socket: WebSocket) {
  if (!armed || firsts.has(socket)) return;
  firsts.add(socket);
  received++;
  if (received === pending) process.send!({ ev: 'done', lastAt: Date.now(), received });
}

process.on('message', async (command: Command) => {
  if (command.cmd === 'subscribe') {
    const subs: RawSubscriber[] = await rawSubscribers(command.tokens.length, 50, (i) => rawSubscribe(command.wsUrl, command.tokens[i], command.query, command.variables));
    for (const sub of subs) sub.onNext = () => receipt(sub.socket);
    sockets = subs.map((s) => s.socket);
    process.send!({ ev: 'opened', count: sockets.length });
  } else if (command.cmd === 'connect') {
    const opened: WebSocket[] = [];
    for (let i = 0; i < command.count; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, command.count - i) }, () => new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(command.wsUrl);
        socket.once('open', () => resolve());
        socket.once('error', reject);
        socket.on('message', () => receipt(socket));
        opened.push(socket);
      })));
    }
    sockets = opened;
    process.send!({ ev: 'opened', count: sockets.length });
  } else if (command.cmd === 'arm') {
    pending = command.expect ?? sockets.length;
    received = 0;
    armed = true;
    process.send!({ ev: 'armed' });
  } else if (command.cmd === 'close') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});

// a progress report on request of the parent's timeout
process.on('SIGUSR2', () => process.send!({ ev: 'progress', received, pending }));
