import type { EntityManager } from '@mikro-orm/core';
import { relatedNow, thenMaybe, type Maybe } from '../../common/loaded';
import type { Answer } from '../answers/answer.entity';
import type { Exam } from '../exams/exam.entity';
import type { Sitting } from './sitting.entity';

/** The sitting's exam, for the field resolvers of every module that decides by it (loaded already in a plain read). */
export function examOf(em: EntityManager, sitting: Sitting): Maybe<Exam> {
  return relatedNow(em, sitting, 'exam');
}

/** The sitting's answer, read once: lists populate it up front, the exam page's plain read has it, a single sitting loads it here. */
export function answerOf(em: EntityManager, sitting: Sitting): Maybe<Answer | null> {
  return thenMaybe(relatedNow(em, sitting, 'answer'), (answer) => answer ?? null);
}
