import type { Config } from './config';
import { ExamEvents } from './common/events';
import { AuthService } from './modules/auth/auth.service';
import { limitPasswordHashing } from './modules/auth/passwords';
import { SessionCache } from './modules/auth/session-cache';
import { SessionSockets } from './modules/auth/session-sockets';
import { RateLimits } from './common/rate-limits';
import { AnswerService } from './modules/answers/answer.service';
import { DraftSender } from './modules/answers/draft-sender';
import { ExamService } from './modules/exams/exam.service';
import { FileService } from './modules/files/file.service';
import { FileStore } from './modules/files/file-store';
import { GradeService } from './modules/grades/grade.service';
import { JournalService } from './modules/journal/journal.service';
import { ResultsPublisher } from './modules/grades/results-publication';
import { MemoryPresence, RedisPresence, type Presence } from './modules/presence/presence';
import { Metrics } from './common/metrics';
import { REDIS_RETRY_MAX_MS, type RedisConnections } from './common/redis';
import { SittingService } from './modules/sittings/sitting.service';
import { TicketService } from './modules/tickets/ticket.service';
import { UserService } from './modules/users/user.service';
import { UserList } from './modules/users/user-list';
import { ExamList } from './modules/exams/exam-list';
import { SittingList } from './modules/sittings/sitting-list';
import { AuditTrailList } from './modules/audit/audit-list';
import { WorkingDayCalendar } from './modules/calendar/working-days.service';
import { AppealService } from './modules/appeals/appeal.service';
import { ApiClientService } from './modules/api-clients/api-client.service';
import { RetakeService } from './modules/retakes/retake.service';
import { GradeFeed } from './modules/grade-feed/grade-feed';
import { WebhookSecrets } from './modules/webhooks/webhook-secrets';
import { WebhookService } from './modules/webhooks/webhook.service';
import { WebhookSender } from './modules/webhooks/webhook-sender';
import { CalendarService } from './modules/calendar/calendar.service';
import { ScheduleImportService } from './modules/schedule-import/schedule-import.service';
import { BlindCodes } from './modules/blind/blind-codes';

/** Work that outlives the request or socket that started it; shutdown waits for it before closing connections. */
class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  add(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** The rule-holding services, one set per server; resolvers reach them through the context. */
export function createServices(config: Config, fileSecret: Buffer, redis?: RedisConnections, metrics = new Metrics()) {
  const events = new ExamEvents(
    config.subscriptionQueueMax,
    config.pushConcurrency,
    metrics,
    redis,
    config.redisKeyPrefix,
  );
  const presence: Presence = redis
    ? new RedisPresence(redis.command, config.presenceTtlMs, metrics, REDIS_RETRY_MAX_MS, config.redisKeyPrefix)
    : new MemoryPresence();
  const store = new FileStore(config.dataDir);
  const tickets = new TicketService(events);
  const answers = new AnswerService(config, events, store);
  const rateLimits = new RateLimits(config, metrics, redis?.command);
  const sessionSockets = new SessionSockets(redis, config.redisKeyPrefix);
  const sessionCache = new SessionCache(config.sessionCacheMax, config.sessionCacheTtlMs, redis, config.redisKeyPrefix);
  limitPasswordHashing(config.passwordHashConcurrency, config.passwordHashQueue);
  const grades = new GradeService(events);
  const calendar = new WorkingDayCalendar(config);
  const exams = new ExamService(events, config);
  const webhookSecrets = new WebhookSecrets(config);
  return {
    config,
    events,
    presence,
    metrics,
    rateLimits,
    sessionSockets,
    sessionCache,
    inFlight: new InFlight(),
    now: () => new Date(),
    auth: new AuthService(config, rateLimits, sessionSockets, sessionCache),
    users: new UserService(sessionCache),
    exams,
    tickets,
    sittings: new SittingService(events, presence, tickets, config.presenceWriteGapMs),
    answers,
    draftSender: new DraftSender(config, events),
    grades,
    journal: new JournalService(config),
    files: new FileService(config, store, fileSecret, events, answers),
    results: new ResultsPublisher(events, config.sendGraceMs),
    calendar,
    appeals: new AppealService(config, events, calendar, grades),
    apiClients: new ApiClientService(config, sessionSockets),
    retakes: new RetakeService(events, exams, store),
    gradeFeed: new GradeFeed(config),
    webhooks: new WebhookService(config, webhookSecrets),
    webhookSender: new WebhookSender(config, webhookSecrets),
    academicCalendar: new CalendarService(),
    scheduleImport: new ScheduleImportService(exams, config),
    blindCodes: new BlindCodes(fileSecret),
    userList: new UserList(config),
    examList: new ExamList(config),
    sittingList: new SittingList(config),
    auditTrail: new AuditTrailList(config),
  };
}

export type Services = ReturnType<typeof createServices>;
