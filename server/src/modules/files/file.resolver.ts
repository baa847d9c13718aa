import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError, withErrorCodes } from '../../common/errors';
import { managedExam } from '../exams/exam-access';
import { assertChangeConfirmed, CONFIRM_STARTED } from '../exams/exam-rules';
import { Role } from '../users/user.entity';
import { StoredFile } from './stored-file.entity';

/** Staff's changes to the files of tickets and tasks (uploads and downloads go through /files). */
@Resolver()
export class FileResolver {
  @Authorized(Role.STAFF)
  @Mutation(() => Boolean, {
    description: withErrorCodes(
      "Staff: removes a file of a ticket or of a task; true when done. After the exam's start it needs confirmStarted: true.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFIRMATION_REQUIRED',
    ),
  })
  async removeExamFile(
    @Ctx() ctx: Context,
    @Arg('fileId', () => ID, { description: 'The file (FileRef.id).' }) fileId: string,
    @Arg('confirmStarted', { defaultValue: false, description: CONFIRM_STARTED })
    confirmStarted: boolean,
  ): Promise<boolean> {
    const file = await ctx.em.findOne(StoredFile, { id: fileId }, { populate: ['ticket'] });
    const examId = file?.ticket?.exam.id ?? file?.taskExam?.id;
    if (!file || !examId) throw new NotFoundError('There is no such ticket or task file; it may have been removed.');
    assertChangeConfirmed(await managedExam(ctx, examId), ctx.services.now(), confirmStarted);
    await ctx.services.files.removeOwned(ctx.em, file);
    return true;
  }
}
