import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../common/base.entity';
import { Answer } from '../answers/answer.entity';
import { Appeal } from '../appeals/appeal.entity';
import { Exam } from '../exams/exam.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';

/** Metadata of a file on disk under DATA_DIR/files; exactly one owner is set. */
@Entity({ tableName: 'stored_files' })
export class StoredFile extends BaseEntity {
  @Property({ type: 'string', length: 255 })
  name!: string;

  @Property({ type: 'integer' })
  size!: number;

  @Property({ type: 'string', length: 150 })
  contentType!: string;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  uploadedBy?: User | null;

  @ManyToOne(() => Answer, { nullable: true, deleteRule: 'cascade' })
  answer?: Answer | null;

  @ManyToOne(() => Ticket, { nullable: true, deleteRule: 'cascade' })
  ticket?: Ticket | null;

  @ManyToOne(() => Exam, { nullable: true, deleteRule: 'cascade' })
  taskExam?: Exam | null;

  /** a file the student attached to their appeal */
  @ManyToOne(() => Appeal, { nullable: true, deleteRule: 'cascade' })
  appeal?: Appeal | null;
}
