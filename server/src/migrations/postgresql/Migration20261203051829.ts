import { Migration } from '@mikro-orm/migrations';

/** issue 13: the student information system's own keys (external ids) on people, the calendar and exams; unique, null many times. */
export class Migration20261203051829 extends Migration {

  override async up(): Promise<void> {
    for (const table of ['users', 'disciplines', 'academic_years', 'periods', 'exams']) {
      this.addSql(`alter table "${table}" add column "external_id" varchar(100) null;`);
      this.addSql(`alter table "${table}" add constraint "${table}_external_id_unique" unique ("external_id");`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['users', 'disciplines', 'academic_years', 'periods', 'exams']) {
      this.addSql(`alter table "${table}" drop constraint "${table}_external_id_unique";`);
      this.addSql(`alter table "${table}" drop column "external_id";`);
    }
  }

}
