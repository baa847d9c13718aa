import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Config } from '../../config';
import { logger } from '../../common/logger';
import { plainSql, type PlainSql } from '../../common/plain-sql';
import { feedPositionColumn, readFeed, type FeedEvent } from '../grade-feed/grade-feed';
import { postJson } from './outbound';
import { EVENT_ID_HEADER, signature, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookSecrets } from './webhook-secrets';

type Settings = Pick<
  Config,
  | 'webhookAllowedHosts'
  | 'webhookTimeoutMs'
  | 'webhookMaxAttempts'
  | 'webhookRetryBaseMs'
  | 'webhookRetryMaxMs'
  | 'webhookPollMs'
  | 'webhookBatch'
  | 'webhookResponseExcerptChars'
  | 'webhookLogDays'
>;

/** endpoints one round looks at (each is then delivered to concurrently) */
const ENDPOINTS_A_ROUND = 50;

/** a claim outlives the longest POST by this much, so it never lapses under a delivery that is still running */
const LEASE_MARGIN_MS = 30_000;

interface DueRow {
  id: string;
}

interface ClaimedRow {
  id: string;
  url: string;
  secret_cipher: string;
  delivered_pos: number | string;
  attempts: number | string;
  client_id: string;
  client_name: string;
}

/** the JSON body of one delivery: the event as gradeChanges answers it, with its cursor as the id */
export function eventBody(event: FeedEvent): string {
  return JSON.stringify({
    id: event.cursor,
    kind: event.kind,
    at: event.at.toISOString(),
    sittingId: event.sittingId,
    exam: { id: event.examId, externalId: event.examExternalId },
    student: { id: event.studentId, login: event.studentLogin, externalId: event.studentExternalId },
    score: event.score,
    letter: event.letter,
    gpa: event.gpa,
    previousScore: event.previousScore,
    reason: event.reason,
    appealId: event.appealId,
  });
}

/** the wait before attempt `failed + 1` after `failed` failures: base, doubling, at most max */
export const retryDelayMs = (failed: number, base: number, max: number): number =>
  Math.min(max, base * 2 ** Math.min(failed - 1, 40));

/**
 * issue 13: delivers the grade feed to the webhooks. Every instance polls; an endpoint is delivered to by the one
 * instance whose conditional UPDATE claimed its lease, one event at a time in feed order, the position advancing only
 * after a 2xx. A failure waits WEBHOOK_RETRY_BASE_MS, doubling, and after WEBHOOK_MAX_ATTEMPTS failures of one event
 * the endpoint is marked failing: its later events wait (nothing is dropped) until staff enable it again. A crash
 * between a POST and its record means that event is sent again: receivers dedupe by X-Attestation-Event-Id.
 */
export class WebhookSender {
  private round?: Promise<number>;

  constructor(
    private readonly settings: Settings,
    private readonly secrets: WebhookSecrets,
    /** names this instance in its claims */
    readonly instanceId: string = randomUUID(),
  ) {}

  /** One round now: every endpoint due and not claimed elsewhere gets up to WEBHOOK_BATCH events; the attempts made. */
  deliverDue(em: EntityManager, now: () => Date): Promise<number> {
    // rounds of one instance never overlap (a poll during a long round waits for it)
    this.round ??= this.runRound(em, now).finally(() => (this.round = undefined));
    return this.round;
  }

  private async runRound(em: EntityManager, now: () => Date): Promise<number> {
    const sql = plainSql(em);
    const column = feedPositionColumn(em);
    const at = sql.time(now());
    const due = await sql.rows<DueRow>(
      `select e.id from webhook_endpoints e join api_clients c on c.id = e.api_client_id
       where e.enabled = true and e.failing_since is null and c.revoked_at is null
         and (e.next_attempt_at is null or e.next_attempt_at <= ?)
         and (e.lease_until is null or e.lease_until < ?)
         and exists (select 1 from grade_changes g where g.${column} > e.delivered_pos)
       order by e.id limit ${ENDPOINTS_A_ROUND}`,
      [at, at],
    );
    const attempts = await Promise.all(due.map((row) => this.deliverTo(em, sql, row.id, now)));
    return attempts.reduce((a, b) => a + b, 0);
  }

  private leaseEnd(now: Date) {
    return new Date(now.getTime() + this.settings.webhookTimeoutMs + LEASE_MARGIN_MS);
  }

  /** claims one endpoint and sends its next events in order; the attempts made (0 when another instance has it) */
  private async deliverTo(em: EntityManager, sql: PlainSql, endpointId: string, now: () => Date): Promise<number> {
    const start = now();
    const claimed = await sql.run(
      `update webhook_endpoints set lease_owner = ?, lease_until = ?
       where id = ? and enabled = true and failing_since is null and (lease_until is null or lease_until < ?)
         and (next_attempt_at is null or next_attempt_at <= ?)`,
      [this.instanceId, sql.time(this.leaseEnd(start)), endpointId, sql.time(start), sql.time(start)],
    );
    if (!claimed) return 0;
    let made = 0;
    try {
      const [endpoint] = await sql.rows<ClaimedRow>(
        `select e.id, e.url, e.secret_cipher, e.delivered_pos, e.attempts, c.id as client_id, c.name as client_name
         from webhook_endpoints e join api_clients c on c.id = e.api_client_id where e.id = ?`,
        [endpointId],
      );
      if (!endpoint) return 0;
      const secret = this.secrets.open(endpoint.secret_cipher);
      const url = new URL(endpoint.url);
      let failed = Number(endpoint.attempts);
      const events = await readFeed(em, Number(endpoint.delivered_pos), this.settings.webhookBatch);
      for (const event of events) {
        const attempt = failed + 1;
        const began = now();
        const body = eventBody(event);
        const timestamp = Math.floor(began.getTime() / 1000);
        const outcome = await postJson(
          url,
          {
            'content-type': 'application/json',
            'user-agent': 'Attestation-Webhooks/1',
            [SIGNATURE_HEADER]: signature(secret, timestamp, body),
            [TIMESTAMP_HEADER]: String(timestamp),
            [EVENT_ID_HEADER]: event.cursor,
          },
          body,
          {
            allowedHosts: this.settings.webhookAllowedHosts,
            timeoutMs: this.settings.webhookTimeoutMs,
            excerptChars: this.settings.webhookResponseExcerptChars,
          },
        );
        made++;
        const ok = outcome.statusCode != null && outcome.statusCode >= 200 && outcome.statusCode < 300;
        await sql.run(
          `insert into webhook_deliveries (id, endpoint_id, feed_pos, attempt, at, ok, status_code, duration_ms, error, response_excerpt)
           values (?, ?, ?, ?, ?, ${ok ? 'true' : 'false'}, ?, ?, ?, ?)`,
          [
            randomUUID(),
            endpointId,
            event.position,
            attempt,
            sql.time(began),
            outcome.statusCode,
            outcome.durationMs,
            outcome.error,
            outcome.excerpt,
          ],
        );
        const log = {
          event: 'webhook-delivery',
          apiClient: { id: endpoint.client_id, name: endpoint.client_name },
          webhook: endpointId,
          eventId: event.cursor,
          attempt,
          statusCode: outcome.statusCode,
          durationMs: outcome.durationMs,
        };
        const ended = now();
        if (ok) {
          logger.info(log, 'webhook delivered');
          failed = 0;
          const kept = await sql.run(
            `update webhook_endpoints set delivered_pos = ?, attempts = 0, next_attempt_at = null, last_error = null,
               lease_until = ?, updated_at = ? where id = ? and lease_owner = ?`,
            [event.position, sql.time(this.leaseEnd(ended)), sql.time(ended), endpointId, this.instanceId],
          );
          if (!kept) break; // the claim lapsed or the webhook was removed: stop here
          continue;
        }
        failed = attempt;
        const error = outcome.error ?? `HTTP ${outcome.statusCode}`;
        const giveUp = failed >= this.settings.webhookMaxAttempts;
        const next = giveUp
          ? null
          : new Date(
              ended.getTime() + retryDelayMs(failed, this.settings.webhookRetryBaseMs, this.settings.webhookRetryMaxMs),
            );
        logger.warn(
          { ...log, error, nextAttemptAt: next?.toISOString() ?? null, failing: giveUp },
          giveUp
            ? 'webhook failing: later events wait until staff enable it again'
            : 'webhook delivery failed; retrying',
        );
        await sql.run(
          `update webhook_endpoints set attempts = ?, next_attempt_at = ?, last_error = ?, failing_since = ?, updated_at = ?
           where id = ? and lease_owner = ?`,
          [
            failed,
            next && sql.time(next),
            error,
            giveUp ? sql.time(ended) : null,
            sql.time(ended),
            endpointId,
            this.instanceId,
          ],
        );
        break;
      }
      // the log keeps WEBHOOK_LOG_DAYS of attempts
      const cutoff = new Date(start.getTime() - this.settings.webhookLogDays * 86_400_000);
      await sql.run('delete from webhook_deliveries where endpoint_id = ? and at < ?', [endpointId, sql.time(cutoff)]);
      return made;
    } finally {
      await sql.run(
        'update webhook_endpoints set lease_owner = null, lease_until = null where id = ? and lease_owner = ?',
        [endpointId, this.instanceId],
      );
    }
  }

  /** Polls every WEBHOOK_POLL_MS until the returned function is called; a round cut by shutdown is awaited as in-flight work. */
  start(orm: MikroORM, clock: () => Date, track: (work: Promise<unknown>) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const tick = () => {
      const work = Promise.resolve()
        .then(() => this.deliverDue(orm.em.fork(), clock))
        .catch((error: unknown) =>
          logger.error({ err: error }, 'webhooks: a delivery round failed; retrying next tick'),
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, this.settings.webhookPollMs);
        });
      track(work);
    };
    timer = setTimeout(tick, this.settings.webhookPollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}
