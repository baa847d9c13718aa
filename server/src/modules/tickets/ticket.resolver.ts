import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { FileRef } from '../files/file-ref.type';
import { User } from '../users/user.entity';
import { Ticket } from './ticket.entity';

/** Ticket objects reach staff and the exam's teacher only (Exam.tickets checks that). */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => [FileRef])
  async files(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await loadersOf(ctx).files('ticket').load(ticket.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => User, { nullable: true })
  async takenBy(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | null> {
    return loadersOf(ctx).ticketHolder.load(ticket.id);
  }
}
