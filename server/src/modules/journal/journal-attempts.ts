import type { EntityManager } from '@mikro-orm/core';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { BatchLoader } from '../../common/batch-loader';
import type { Context } from '../../context';
import { isGradePublished } from '../grades/grade-publication';
import { Sitting } from '../sittings/sitting.entity';
import { JournalRow } from './journal-row.type';

/**
 * E6: which grade counts for a student's exam: the retake's once its grade is published, else the exam's own.
 * `retakePublished`: the student's sitting at a retake of the exam has a published grade.
 */
export const attemptCounts = (isRetake: boolean, ownPublished: boolean, retakePublished: boolean): boolean =>
  isRetake ? ownPublished : !retakePublished;

/** `${examId}:${studentId}` of each student whose retake of an exam has a published grade, read once per operation */
class RetakeGrades {
  constructor(private readonly em: EntityManager) {}

  readonly published = new BatchLoader<string, boolean>(async (keys) => {
    const pairs = keys.map((key) => key.split(':') as [string, string]);
    const sittings = await this.em.find(
      Sitting,
      {
        exam: { retakeOf: { $in: [...new Set(pairs.map(([exam]) => exam))] } },
        student: { $in: [...new Set(pairs.map(([, student]) => student))] },
        score: { $ne: null },
      },
      { populate: ['exam'] },
    );
    const published = new Set(sittings.filter(isGradePublished).map((s) => `${s.exam.retakeOf!.id}:${s.student.id}`));
    return new Map(keys.map((key) => [key, published.has(key)]));
  }, false);
}

const byEntityManager = new WeakMap<EntityManager, RetakeGrades>();

@Resolver(() => JournalRow)
export class JournalAttemptResolver {
  @FieldResolver(() => Int, {
    description: "E6: 1 for the exam itself, 2 for its retake (the FX students' second attempt)",
  })
  attempt(@Root() row: JournalRow): number {
    return row.exam.retakeOf ? 2 : 1;
  }

  @FieldResolver(() => Boolean, {
    description:
      "E6: this attempt's grade is the one that counts: the retake's once its grade is published, else the exam's own",
  })
  async counts(@Root() row: JournalRow, @Ctx() ctx: Context): Promise<boolean> {
    const isRetake = !!row.exam.retakeOf;
    if (isRetake) return attemptCounts(true, isGradePublished(row.sitting), false);
    let grades = byEntityManager.get(ctx.em);
    if (!grades) byEntityManager.set(ctx.em, (grades = new RetakeGrades(ctx.em)));
    return attemptCounts(
      false,
      isGradePublished(row.sitting),
      await grades.published.load(`${row.exam.id}:${row.student.id}`),
    );
  }
}
