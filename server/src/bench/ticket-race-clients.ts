import http from 'node:http';

/**
 * The ticket race's students, in a process of their own so the server's event loop only serves.
 * Every student picks a random tile it does not know to be taken and sends chooseTicket, until it
 * holds a ticket or every tile is taken. A refusal (TICKET_TAKEN) marks the tile taken for all the
 * students, as the board's push would: the attempts are what a real crowd with a live board sends.
 */
export interface RaceCommand {
  url: string;
  examId: string;
  tokens: string[];
  ticketIds: string[];
}

export interface RaceReport {
  attempts: number;
  seconds: number;
  latenciesMs: number[];
  /** the ticket number each winner was told, by student index */
  won: { student: number; ticketNumber: number }[];
  refusals: Record<string, number>;
}

const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }';

function post(agent: http.Agent, url: URL, token: string, body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function race(command: RaceCommand): Promise<RaceReport> {
  const url = new URL('/graphql', command.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const taken = new Set<string>();
  const report: RaceReport = { attempts: 0, seconds: 0, latenciesMs: [], won: [], refusals: {} };
  const student = async (index: number) => {
    for (;;) {
      const free = command.ticketIds.filter((id) => !taken.has(id));
      if (free.length === 0) return;
      const ticketId = free[Math.floor(Math.random() * free.length)];
      const start = performance.now();
      const result = await post(agent, url, command.tokens[index], JSON.stringify({ query: CHOOSE, variables: { e: command.examId, t: ticketId } }));
      report.latenciesMs.push(performance.now() - start);
      report.attempts++;
      taken.add(ticketId); // won or lost, the tile is taken now
      if (!result.errors) {
        report.won.push({ student: index, ticketNumber: result.data.chooseTicket.ticketNumber });
        return;
      }
      const code = String(result.errors[0]?.extensions?.code ?? result.errors[0]?.message);
      report.refusals[code] = (report.refusals[code] ?? 0) + 1;
      if (code !== 'TICKET_TAKEN') return;
    }
  };
  const started = performance.now();
  await Promise.all(command.tokens.map((_, i) => student(i)));
  report.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return report;
}

if (require.main === module) {
  process.once('message', (command: RaceCommand) => {
    race(command).then((report) => process.send!(report, () => process.exit(0)), (error) => {
      console.error(error);
      process.exit(1);
    });
  });
}
