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
