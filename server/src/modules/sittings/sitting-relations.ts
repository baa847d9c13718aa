import { wrap, type EntityManager } from '@mikro-orm/core';
import type { Answer } from '../answers/answer.entity';
import type { Exam } from '../exams/exam.entity';
import type { Sitting } from './sitting.entity';

// A push's sitting comes with its relations loaded (and a page's lists populate them): asking the ORM to populate a
// loaded relation still walks its loader, several times a sitting, thousands of times a release. So only when needed.

/** The sitting's exam, for the field resolvers of every module that decides by it. */
export async function examOf(em: EntityManager, sitting: Sitting): Promise<Exam> {
  if (!wrap(sitting.exam).isInitialized()) await em.populate(sitting, ['exam']);
  return sitting.exam;
}

/** The sitting's answer, read once: lists populate it up front, a single sitting loads it here. */
export async function answerOf(em: EntityManager, sitting: Sitting): Promise<Answer | null> {
  // undefined: the inverse side was never loaded; null: loaded, and there is none
  if (sitting.answer === undefined || (sitting.answer && !wrap(sitting.answer).isInitialized())) await em.populate(sitting, ['answer']);
  return sitting.answer ?? null;
}
