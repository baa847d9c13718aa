/**
 * The exam's rules that both the server and the web app apply: the server enforces them, the web app shows what
 * they allow. Framework-free on purpose (no ORM, GraphQL, Angular or Node imports): the client compiles this folder
 * as `@rules` (client/tsconfig.json).
 */
export * from './answer-rules';
export * from './blind-marking';
export * from './exam-time';
export * from './limits';
export * from './working-days';
