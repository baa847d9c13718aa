import type { ReadLoaders } from '../../loaders';
import { type Answer, AnswerStatus } from '../answers/answer.entity';
import type { Sitting } from '../sittings/sitting.entity';
import { trailForStaff } from './audit.service';
import { SittingEventKind, type SittingEvent } from './sitting-event.entity';

/** A sitting's trail as staff and the exam's teacher may read it. */
export async function staffTrail(
  loaders: ReadLoaders,
  sitting: Sitting,
  answer: Answer | null,
): Promise<SittingEvent[]> {
  const events = await loaders.trail.load(sitting.id);
  let sent: Set<string> | null = null;
  if (answer?.status === AnswerStatus.SUBMITTED) {
    sent = new Set();
    if (events.some((e) => e.kind === SittingEventKind.FILE_UPLOADED)) {
      for (const file of await loaders.files('answer').load(answer.id)) sent.add(file.name);
    }
  }
  return trailForStaff(events, sent);
}

/**
 * issue 13: entries of several sittings (a page of an exam's trail) as staff may read them, in their order: each
 * sitting's sent files read once, together, for the sittings whose uploads are on the page.
 */
export async function staffEntries(loaders: ReadLoaders, events: readonly SittingEvent[]): Promise<SittingEvent[]> {
  const bySitting = new Map<string, SittingEvent[]>();
  for (const event of events) bySitting.set(event.sitting.id, [...(bySitting.get(event.sitting.id) ?? []), event]);
  const masked = new Map<string, SittingEvent>();
  await Promise.all(
    [...bySitting.values()].map(async (group) => {
      const answer = group[0].sitting.answer;
      let sent: Set<string> | null = null;
      if (answer?.status === AnswerStatus.SUBMITTED) {
        sent = new Set();
        if (group.some((e) => e.kind === SittingEventKind.FILE_UPLOADED))
          for (const file of await loaders.files('answer').load(answer.id)) sent.add(file.name);
      }
      for (const event of trailForStaff(group, sent)) masked.set(event.id, event);
    }),
  );
  return events.map((event) => masked.get(event.id)!);
}
