import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { FileRef } from '../files/file-ref.type';
import { StoredFile } from '../files/stored-file.entity';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { Ticket } from './ticket.entity';

/** Ticket objects reach staff and the exam's teacher only (Exam.tickets checks that). */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => [FileRef])
  async files(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await ctx.em.find(StoredFile, { ticket: ticket.id }, { orderBy: { createdAt: 'asc' } });
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => User, { nullable: true })
  async takenBy(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | null> {
    const sitting = await ctx.em.findOne(Sitting, { ticket: ticket.id }, { populate: ['student'] });
    return sitting?.student ?? null;
  }
}
