// `ng serve` (npm run dev): the API, its WebSocket and the files go to the server that `npm run dev` started on PORT.
const target = `http://localhost:${process.env.PORT || 4000}`;

export default {
  '/graphql': { target, ws: true },
  '/files': { target },
};
