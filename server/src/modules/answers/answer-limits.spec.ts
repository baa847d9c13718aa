import { startTestServer, type TestServer } from '../../testing/harness';

describe('the answer limits (R7.2, R7.4)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      maxAnswerChars: 5_000,
      maxFileBytes: 3 * 1024 * 1024,
      maxFilesPerAnswer: 4,
      maxAnswerBytes: 7 * 1024 * 1024,
    });
  });
  afterAll(() => server.stop());

  it("are the server's settings, so the page shows the limits the server enforces", async () => {
    const data = await server.ok(null, '{ answerLimits { maxChars maxFileBytes maxFiles maxTotalBytes } }');
    expect(data.answerLimits).toEqual({
      maxChars: 5_000,
      maxFileBytes: 3 * 1024 * 1024,
      maxFiles: 4,
      maxTotalBytes: 7 * 1024 * 1024,
    });
  });
});
