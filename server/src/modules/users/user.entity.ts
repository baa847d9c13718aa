import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';

export enum Role {
  STUDENT = 'STUDENT',
  TEACHER = 'TEACHER',
  STAFF = 'STAFF',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a person may do in the exam module; one role per person.',
  valuesConfig: {
    STUDENT: { description: 'Takes the exams they are enrolled at: sees their own sittings, answers and grades only.' },
    TEACHER: { description: 'Grades the exams they teach and reads their journal.' },
    STAFF: { description: 'The registrar: sets up every exam, its tickets and students, and watches it live.' },
  },
});

@ObjectType({
  description:
    'A person: a student, a teacher or staff. Only staff and teachers list people (Query.users); a student sees themselves and the teachers and graders of their exams.',
})
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Field({ description: 'The sign-in name, unique; other systems find people by it (upsertUsers).' })
  @Property({ type: 'string', length: 100 })
  @Unique()
  login!: string;

  @Field({ description: 'The full name as it is shown and printed (up to 300 characters).' })
  @Property({ type: 'string', length: 300 })
  fullName!: string;

  @Field(() => Role, { description: 'What the person may do.' })
  @Enum({ items: () => Role })
  role!: Role;

  /** scrypt hash; no @Field, so it can never be selected over GraphQL */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: false })
  passwordHash?: string | null;
}
