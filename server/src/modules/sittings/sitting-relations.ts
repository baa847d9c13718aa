import type { EntityManager } from '@mikro-orm/core';
import type { Answer } from '../answers/answer.entity';
import type { Exam } from '../exams/exam.entity';
import type { Sitting } from './sitting.entity';

/** The sitting's exam, for the field resolvers of every module that decides by it. */
export async function examOf(em: EntityManager, sitting: Sitting): Promise<Exam> {
  await em.populate(sitting, ['exam']);
  return sitting.exam;
}

/** The sitting's answer, read once: lists populate it up front, a single sitting loads it here. */
export async function answerOf(em: EntityManager, sitting: Sitting): Promise<Answer | null> {
  await em.populate(sitting, ['answer']);
  return sitting.answer ?? null;
}
