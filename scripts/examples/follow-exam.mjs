// Follows one exam live as an API client: prints every sitting change (a student entering or leaving, a ticket, a
// sent answer, a grade) as one JSON line. The client needs the scope exams:read (and grades:read for the grade).
//
//   ATTESTATION_URL=https://attestation.example.edu ATTESTATION_TOKEN=att_… node scripts/examples/follow-exam.mjs <examId>
//
// MAX_PUSHES=n stops after n changes (the README's example is run this way by a spec, so it cannot go stale).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [examId] = process.argv.slice(2);
const token = process.env.ATTESTATION_TOKEN;
if (!examId || !token) {
  console.error('usage: ATTESTATION_TOKEN=att_… [ATTESTATION_URL=http://localhost:4000] node follow-exam.mjs <examId>');
  process.exit(2);
}
const url = `${(process.env.ATTESTATION_URL ?? 'http://localhost:4000').replace(/^http/, 'ws')}/graphql`;
const maxPushes = Number(process.env.MAX_PUSHES ?? Infinity);

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  // the token goes in connection_init, as the web app's does; the socket closes with 4401 when the client is revoked
  connectionParams: { authorization: `Bearer ${token}` },
  // reconnect on a dropped connection, but not after a revocation (4401) or a refusal
  shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && event.code === 4401),
  retryAttempts: 10,
  on: { connected: () => console.error(`connected to ${url}; following exam ${examId}`) },
});

let pushes = 0;
const stop = client.subscribe(
  {
    query: `subscription FollowExam($examId: ID!) {
      sittingChanged(examId: $examId) { id online enteredAt answerStatus submittedAt student { login fullName } }
    }`,
    variables: { examId },
  },
  {
    next: (result) => {
      if (result.errors) {
        console.error(JSON.stringify(result.errors));
        process.exitCode = 1;
      } else console.log(JSON.stringify(result.data.sittingChanged));
      if (++pushes >= maxPushes) {
        stop();
        void client.dispose();
      }
    },
    // e.g. [{ extensions: { code: 'FORBIDDEN', missingScope: 'exams:read' } }], or the socket's close event
    error: (error) => {
      console.error(
        'refused:',
        JSON.stringify(Array.isArray(error) ? error : { code: error?.code, reason: error?.reason }),
      );
      process.exitCode = 1;
      void client.dispose();
    },
    complete: () => void client.dispose(),
  },
);
