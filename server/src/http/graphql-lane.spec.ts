import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressShapes } from './graphql-lane';

describe('expressShapes', () => {
  it("gives the server's requests and responses what Express's prototypes give them, without swapping theirs", async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    const shapes = expressShapes(app);
    const server = http.createServer(shapes, (req, res) => {
      const request = req as express.Request;
      const response = res as express.Response;
      request.res = response; // as the lane links them
      response.req = request;
      // the same members as under Express: every method and getter of app.request / app.response, and `app`
      const missing = [app.request, Object.getPrototypeOf(app.request) as object, app.response]
        .flatMap((prototype) => Object.getOwnPropertyNames(prototype))
        .filter((name) => !(name in req) && !(name in res));
      response.status(201).json({
        missing,
        prototypeKept: Object.getPrototypeOf(req) === shapes.IncomingMessage.prototype,
        ip: request.ip,
        path: request.path,
        accepts: request.accepts(['application/json', 'text/html']),
        app: request.app === app && response.app === app,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const reply = await fetch(`http://127.0.0.1:${port}/graphql?x=1`, {
        headers: { 'x-forwarded-for': '203.0.113.7', accept: 'text/html' },
      });
      expect(reply.status).toBe(201);
      expect(await reply.json()).toEqual({
        missing: [],
        prototypeKept: true,
        ip: '203.0.113.7', // trust proxy honoured through app.get(), as under Express
        path: '/graphql',
        accepts: 'text/html',
        app: true,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
