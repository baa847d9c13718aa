import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { ExecutionResult } from 'graphql';
import type { EntityManager } from '@mikro-orm/core';
import type { Context } from '../../context';
import { logger } from '../../common/logger';
import { requireUser } from '../../common/auth';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import type { BoardEventPayload, SittingEventPayload } from '../../common/events';
import { PreSerialized, SharedPush } from '../../common/shared-push';
import { mayChooseTicket, tileHash, tileOrder } from '../exams/exam-rules';
import type { Exam, ExamFormat, TicketAssignment } from '../exams/exam.entity';
import { instant, instantOrNull, plainRows } from '../../common/plain-sql';
import { breathe, dropper, keepOnly, studentStream, type Data } from '../exams/exam-streams';
import { IDS_A_READ } from '../sittings/sittings.read';
import { Role } from '../users/user.entity';
import { TicketTile } from './ticket.entity';

/**
 * One student's ticket board subscription. Whether a push reaches them follows the ticketBoard field: only while they
 * may choose. What that depends on (the exam's mode and times, their ticket and extra time) is read when the
 * subscription opens and kept current from their own sitting's events — every change of the sitting or its exam
 * publishes one (ExamService.announce) — so a push reads nothing per subscriber: the viewers whose sitting changed
 * are re-read together (StaleViewers). The tiles' order for this student is kept while the set of tiles stays the same.
 */
class BoardViewer {
  private exam!: Pick<Exam, 'format' | 'ticketAssignment' | 'startsAt' | 'endsAt'>;
  private sitting!: { ticket: boolean; endsAtOverride?: Date | null };
  /** sitting changes heard, and how many of them the state above reflects */
  version = 0;
  seen = 0;
  sittingId?: string;
  private order?: { tiles: readonly TicketTile[]; order: Uint32Array };
  stopWatching = () => {};

  constructor(
    readonly studentId: string,
    private readonly stale: StaleViewers,
  ) {}

  remember(sitting: ViewerSitting | null): void {
    this.sittingId = sitting?.id;
    if (!sitting) return;
    const { format, ticketAssignment, startsAt, endsAt } = sitting.exam;
    this.exam = { format, ticketAssignment, startsAt, endsAt };
    this.sitting = { ticket: !!sitting.ticket, endsAtOverride: sitting.endsAtOverride };
  }

  sittingChanged = (change: SittingEventPayload): void => {
    if (change.presence) return; // the page opening or closing changes nothing the board depends on
    this.version++;
    this.stale.add(this);
  };

  stop(): void {
    this.stopWatching();
    this.stale.delete(this);
  }

  /** whether a push reaches this student: at once when nothing they depend on changed since it was read */
  shown(ctx: Context): boolean | Promise<boolean> {
    return this.seen < this.version ? this.shownAfterReread(ctx) : this.showsBoard(ctx);
  }

  private async shownAfterReread(ctx: Context): Promise<boolean> {
    try {
      // a change heard while a re-read is under way is caught by the next one
      for (let tries = 0; this.seen < this.version && tries < 3; tries++) await this.stale.reread(ctx);
    } catch (error) {
      logger.warn({ err: error }, 'ticket board: could not re-read changed sittings; the push is skipped');
      return false;
    }
    return this.showsBoard(ctx);
  }

  private showsBoard(ctx: Context): boolean {
    return (
      !!this.sittingId && this.seen === this.version && mayChooseTicket(this.exam, this.sitting, ctx.services.now())
    );
  }

  /** where each tile goes in this student's order (R4.2), each key computed once while the tiles stay the same */
  orderOf(tiles: readonly TicketTile[]): Uint32Array {
    const cached = this.order;
    if (!cached || cached.tiles.length !== tiles.length || cached.tiles.some((t, i) => t.id !== tiles[i].id)) {
      this.order = {
        tiles,
        order: tileOrder(this.studentId, tileIdsOf(tiles), tileHashesOf(tiles)),
      };
    } else {
      cached.tiles = tiles;
    }
    return this.order!.order;
  }

  /**
   * This student's push of a board change: the board is executed once for every viewer (the tiles' fields are the
   * same for all) and each tile serialized once; this student's push is those tiles' JSON in their order, sent as is.
   */
  push(event: BoardEventPayload): SharedPush<BoardEventPayload> {
    return new SharedPush(event, (result) => {
      const field = result.data && Object.keys(result.data)[0];
      const shared = field ? result.data![field] : null;
      if (!Array.isArray(shared)) return result;
      const inOrder = (tiles: readonly TicketTile[]): ExecutionResult => ({
        ...result,
        data: { [field!]: PreSerialized.array(tileJson(shared), this.orderOf(tiles)) },
      });
      // the shared execution read the tiles before its result came: each push takes them without a promise
      return event.read ? inOrder(event.read) : boardTiles(event).then(inOrder);
    });
  }
}

/** the tiles' ids, listed once for all the viewers of a board change */
const tileIds = new WeakMap<readonly TicketTile[], string[]>();
function tileIdsOf(tiles: readonly TicketTile[]): string[] {
  let ids = tileIds.get(tiles);
  if (!ids) tileIds.set(tiles, (ids = tiles.map((t) => t.id)));
  return ids;
}

/** the tiles' own hashes (exam-rules `tileHash`), computed once for all the viewers of a board change */
const tileHashes = new WeakMap<readonly TicketTile[], Uint32Array>();
function tileHashesOf(tiles: readonly TicketTile[]): Uint32Array {
  let hashes = tileHashes.get(tiles);
  if (!hashes) tileHashes.set(tiles, (hashes = Uint32Array.from(tiles, (t) => tileHash(t.id))));
  return hashes;
}

/** each tile of a shared board result as JSON, made once for all its viewers */
const tileJsons = new WeakMap<readonly unknown[], Buffer[]>();
function tileJson(shared: readonly unknown[]): Buffer[] {
  let json = tileJsons.get(shared);
  if (!json) tileJsons.set(shared, (json = shared.map((tile) => Buffer.from(JSON.stringify(tile)))));
  return json;
}

/**
 * The board viewers of one exam whose sitting changed since it was read: the first push that needs one re-reads them
 * all, in one query (per 1,000), so the fan-out after N students opened their pages reads a bounded number of times.
 */
class StaleViewers {
  private readonly viewers = new Set<BoardViewer>();
  private reading?: Promise<void>;

  add(viewer: BoardViewer): void {
    this.viewers.add(viewer);
  }

  delete(viewer: BoardViewer): void {
    this.viewers.delete(viewer);
  }

  reread(ctx: Context): Promise<void> {
    return (this.reading ??= this.read(ctx.em.fork()).finally(() => (this.reading = undefined)));
  }

  private async read(em: EntityManager): Promise<void> {
    const viewers = [...this.viewers].map((viewer) => ({ viewer, version: viewer.version }));
    this.viewers.clear();
    try {
      const ids = viewers.flatMap(({ viewer }) => (viewer.sittingId ? [viewer.sittingId] : []));
      const sittings = new Map<string, ViewerSitting>();
      for (let i = 0; i < ids.length; i += IDS_A_READ) {
        if (i > 0) await breathe();
        const chunk = ids.slice(i, i + IDS_A_READ);
        const rows = await plainRows<ViewerRow>(em, `${VIEWER_SITTINGS} (${chunk.map(() => '?').join(', ')})`, chunk);
        for (const row of rows) sittings.set(row.id, viewerSitting(row));
      }
      for (const { viewer, version } of viewers) {
        viewer.remember(viewer.sittingId ? (sittings.get(viewer.sittingId) ?? null) : null);
        viewer.seen = Math.max(viewer.seen, version);
      }
    } catch (error) {
      for (const { viewer } of viewers) this.viewers.add(viewer);
      throw error;
    }
  }
}

/** what a board viewer's pushes depend on: its sitting's ticket and extra time, its exam's mode and times */
interface ViewerSitting {
  id: string;
  ticket?: unknown;
  endsAtOverride?: Date | null;
  exam: Pick<Exam, 'format' | 'ticketAssignment' | 'startsAt' | 'endsAt'>;
}
/** the re-read of changed viewers' sittings, plain rows (ids bound at the end) */
const VIEWER_SITTINGS = `select s.id, s.ticket_id, s.ends_at_override, e.format, e.ticket_assignment, e.starts_at, e.ends_at
from sittings s join exams e on e.id = s.exam_id where s.id in`;
interface ViewerRow {
  id: string;
  ticket_id: string | null;
  ends_at_override: unknown;
  format: ExamFormat;
  ticket_assignment: TicketAssignment | null;
  starts_at: unknown;
  ends_at: unknown;
}
const viewerSitting = (row: ViewerRow): ViewerSitting => ({
  id: row.id,
  ticket: row.ticket_id,
  endsAtOverride: instantOrNull(row.ends_at_override),
  exam: {
    format: row.format,
    ticketAssignment: row.ticket_assignment,
    startsAt: instant(row.starts_at),
    endsAt: instant(row.ends_at),
  },
});

/** per server (its services), per exam */
const staleViewers = new WeakMap<object, Map<string, StaleViewers>>();
function staleViewersOf(ctx: Context, examId: string): StaleViewers {
  let exams = staleViewers.get(ctx.services);
  if (!exams) staleViewers.set(ctx.services, (exams = new Map()));
  let stale = exams.get(examId);
  if (!stale) exams.set(examId, (stale = new StaleViewers()));
  return stale;
}

/** the tiles of a board change, read once for every viewer (a failed read is retried by the next push) */
function boardTiles(event: BoardEventPayload, ctx?: Context): Promise<TicketTile[]> {
  if (!event.tiles) {
    if (!ctx) throw new Error('the board change has not been read');
    event.tiles = ctx.services.tickets.tiles(ctx.em.fork(), event.examId).then((tiles) => (event.read = tiles));
  }
  const reading = event.tiles;
  return reading.catch((error) => {
    if (event.tiles === reading) event.tiles = undefined;
    throw error;
  });
}

@Resolver()
export class TicketSubscriptionResolver {
  @Subscription(() => [TicketTile], {
    description: withErrorCodes(
      "Students: the board's tiles, pushed whenever a ticket is taken or the tickets change, while Exam.ticketBoard would show them to the calling student (R4.2).",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
    ),
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      if (user.role !== Role.STUDENT)
        throw new ForbiddenError(
          'The ticket board is shown to students choosing a ticket; staff and teachers follow sittingChanged.',
        );
      const { events } = data.context.services;
      const viewer = new BoardViewer(user.id, staleViewersOf(data.context, data.args.examId));
      // watched before the sitting is read, so no change is missed in between
      viewer.stopWatching = events.watchSitting(data.args.examId, user.id, viewer.sittingChanged);
      const heard = viewer.version; // a change heard while the sitting is read may not be in what is read
      try {
        const stream = await studentStream(data, events.board(data.args.examId, dropper(data.context)), (sitting) => {
          viewer.remember(sitting);
          viewer.seen = heard;
        });
        return keepOnly(
          stream,
          () => viewer.shown(data.context),
          (event) => viewer.push(event),
          () => viewer.stop(),
        );
      } catch (error) {
        viewer.stop();
        throw error;
      }
    },
  })
  ticketBoardChanged(
    @Root() payload: BoardEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) _examId: string,
  ): Promise<TicketTile[]> {
    // executed once per change for every viewer of the exam (BoardViewer.push): the tiles, in the viewer's order after
    return boardTiles(payload, ctx);
  }
}
