import type { EntityManager } from '@mikro-orm/core';
import { related } from '../../common/loaded';
import type { Answer } from '../answers/answer.entity';
import type { Exam } from '../exams/exam.entity';
import type { Sitting } from './sitting.entity';

/** The sitting's exam, for the field resolvers of every module that decides by it (loaded already in a plain read). */
export function examOf(em: EntityManager, sitting: Sitting): Promise<Exam> {
  return related(em, sitting, 'exam');
}

/** The sitting's answer, read once: lists populate it up front, the exam page's plain read has it, a single sitting loads it here. */
export async function answerOf(em: EntityManager, sitting: Sitting): Promise<Answer | null> {
  return (await related(em, sitting, 'answer')) ?? null;
}
