import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, MikroORM, type LogContext, type LoggerNamespace, type Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Config } from './config';
import { logger } from './common/logger';
import { queuedSqliteClient } from './common/sqlite-queue';
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from './common/sqlite-checkpoint';
import { User } from './modules/users/user.entity';
import { AuthSession } from './modules/auth/auth-session.entity';
import { AcademicYear, Discipline, Period } from './modules/calendar/calendar.entity';
import { Exam } from './modules/exams/exam.entity';
import { Ticket } from './modules/tickets/ticket.entity';
import { Sitting } from './modules/sittings/sitting.entity';
import { Answer } from './modules/answers/answer.entity';
import { StoredFile } from './modules/files/stored-file.entity';
import { SittingEvent } from './modules/audit/sitting-event.entity';
import { GradeChange } from './modules/grades/grade-change.entity';
import { NonWorkingDay } from './modules/calendar/non-working-day.entity';
import { Appeal } from './modules/appeals/appeal.entity';
import { ApiClient } from './modules/api-clients/api-client.entity';
import { WebhookEndpoint } from './modules/webhooks/webhook-endpoint.entity';
import { WebhookDelivery } from './modules/webhooks/webhook-delivery.entity';

const entities = [
  User,
  AuthSession,
  AcademicYear,
  Period,
  Discipline,
  Exam,
  Ticket,
  Sitting,
  Answer,
  StoredFile,
  SittingEvent,
  GradeChange,
  NonWorkingDay,
  Appeal,
  ApiClient,
  WebhookEndpoint,
  WebhookDelivery,
];

type Dialect = 'sqlite' | 'postgresql';

export function dialectOf(config: Pick<Config, 'databaseUrl'>): Dialect {
  return config.databaseUrl ? 'postgresql' : 'sqlite';
}

/** MikroORM's own messages as JSON lines; SQL is never logged, since MikroORM inlines the parameters (answer texts) into it. */
export class JsonOrmLogger extends DefaultLogger {
  private readonly json = logger.child({ component: 'mikro-orm' });
  /** called with every statement sent to the database (specs count statements with it; see testing/statements.ts) */
  onQuery?: (sql: string) => void;

  override log(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    if (namespace === 'query' || namespace === 'query-params' || !this.isEnabled(namespace as LoggerNamespace, context))
      return;
    const level = context?.level === 'error' ? 'error' : context?.level === 'warning' ? 'warn' : 'info';
    this.json[level]({ namespace }, message.replace(/\s+/g, ' ').trim());
  }

  override logQuery(context: LogContext & { query: string }): void {
    this.onQuery?.(context.query);
  }
}

export type DatabaseConfig = Pick<
  Config,
  'databaseUrl' | 'dataDir' | 'databasePoolMax' | 'databaseStatementTimeoutMs'
> &
  Partial<Pick<Config, 'sqliteQueueMax' | 'sqliteSynchronous' | 'sqliteCheckpointMs'>>;

/** the SQLite database file under DATA_DIR */
export const sqliteFile = (dataDir: string): string => path.join(dataDir, 'attestation.sqlite');

/** One ORM configuration for the server, the tests and the migration generator. */
export function ormOptions(config: DatabaseConfig): Options {
  const dialect = dialectOf(config);
  const common: Options = {
    entities,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    loggerFactory: (options) => new JsonOrmLogger(options),
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      // compiled JavaScript next to this file; the TypeScript sources are committed beside them in src/
      path: path.join(__dirname, 'migrations', dialect),
      pathTs: path.join(__dirname, '..', 'src', 'migrations', dialect),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
  };
  if (dialect === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: config.databaseUrl,
      pool: { min: 0, max: config.databasePoolMax },
      // a startup parameter, so it holds for every pooled connection without an extra round trip (PgBouncer: see README)
      driverOptions: config.databaseStatementTimeoutMs
        ? { connection: { statement_timeout: config.databaseStatementTimeoutMs } }
        : {},
    };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return {
    ...common,
    driver: BetterSqliteDriver,
    dbName: sqliteFile(config.dataDir),
    // one connection (one writer), a bounded wait for it, prepared statements reused (common/sqlite-queue.ts)
    driverOptions: { client: queuedSqliteClient({ queueMax: config.sqliteQueueMax ?? 2_000 }) },
    pool: {
      afterCreate: (connection: { pragma?: (sql: string) => void }, done: (err: Error | null, c: unknown) => void) => {
        // WAL lets readers go on while one writer commits; busy_timeout queues writers instead of failing them
        connection.pragma?.('journal_mode = WAL');
        connection.pragma?.('busy_timeout = 5000');
        connection.pragma?.('foreign_keys = ON');
        // with WAL, NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of the process and the
        // file is never corrupted; only a power cut may lose the last commits (SQLITE_SYNCHRONOUS=FULL if that matters)
        connection.pragma?.(`synchronous = ${config.sqliteSynchronous ?? 'NORMAL'}`);
        // 32 MB of page cache (the default is 2 MB): the exam's rows stay in memory during the busy minutes
        connection.pragma?.('cache_size = -32000');
        // a thread checkpoints the WAL (common/sqlite-checkpoint.ts): a commit does only past a far higher mark
        if (config.sqliteCheckpointMs) connection.pragma?.(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
        done(null, connection);
      },
    },
  } as Options;
}

export async function initORM(config: DatabaseConfig & Pick<Config, 'migrateOnStart'>): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(config));
  if (config.migrateOnStart) await orm.getMigrator().up();
  return orm;
}
