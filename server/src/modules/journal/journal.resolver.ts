import { Arg, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { Discipline, Period } from '../calendar/calendar.entity';
import { Exam } from '../exams/exam.entity';
import { Grade } from '../grades/grade.type';
import { GradeService } from '../grades/grade.service';
import { Sitting } from '../sittings/sitting.entity';
import { Role, User } from '../users/user.entity';

@ObjectType()
export class JournalRow {
  @Field(() => User) student!: User;
  @Field(() => Discipline) discipline!: Discipline;
  @Field(() => Period) period!: Period;
  @Field(() => Exam) exam!: Exam;
  @Field(() => Grade, { nullable: true }) grade?: Grade | null;
}

const POPULATE = ['student', 'gradedBy', 'exam.discipline', 'exam.period.academicYear', 'exam.teacher'] as const;

function toRow(sitting: Sitting): JournalRow {
  return Object.assign(new JournalRow(), {
    student: sitting.student, discipline: sitting.exam.discipline, period: sitting.exam.period,
    exam: sitting.exam, grade: GradeService.gradeOf(sitting),
  });
}

@Resolver()
export class JournalResolver {
  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [JournalRow], { description: 'R7.7: grades of a discipline in a period (a teacher sees the exams they teach)' })
  async journal(@Ctx() ctx: Context, @Arg('disciplineId', () => ID) disciplineId: string, @Arg('periodId', () => ID) periodId: string): Promise<JournalRow[]> {
    const user = requireUser(ctx);
    const exam = user.role === Role.STAFF ? { discipline: disciplineId, period: periodId } : { discipline: disciplineId, period: periodId, teacher: user.id };
    const sittings = await ctx.em.find(Sitting, { exam }, { populate: POPULATE, orderBy: { student: { fullName: 'asc' }, exam: { startsAt: 'asc' } } });
    return sittings.map(toRow);
  }

  @Authorized()
  @Query(() => [JournalRow], { description: 'the calling student\'s own grades' })
  async myJournal(@Ctx() ctx: Context, @Arg('academicYearId', () => ID) academicYearId: string, @Arg('periodId', () => ID, { nullable: true }) periodId?: string): Promise<JournalRow[]> {
    const user = requireUser(ctx);
    const period = periodId ? { id: periodId, academicYear: academicYearId } : { academicYear: academicYearId };
    const sittings = await ctx.em.find(Sitting, { student: user.id, exam: { period } }, { populate: POPULATE, orderBy: { exam: { startsAt: 'asc' } } });
    return sittings.map(toRow);
  }
}
