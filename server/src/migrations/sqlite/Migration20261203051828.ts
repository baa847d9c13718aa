import { Migration } from '@mikro-orm/migrations';

/** issue 13: the student information system's own keys (external ids) on people, the calendar and exams; unique, null many times. */
export class Migration20261203051828 extends Migration {

  override async up(): Promise<void> {
    for (const table of ['users', 'disciplines', 'academic_years', 'periods', 'exams']) {
      this.addSql(`alter table \`${table}\` add column \`external_id\` text null;`);
      this.addSql(`create unique index \`${table}_external_id_unique\` on \`${table}\` (\`external_id\`);`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['users', 'disciplines', 'academic_years', 'periods', 'exams']) {
      this.addSql(`drop index if exists \`${table}_external_id_unique\`;`);
      this.addSql(`alter table \`${table}\` drop column \`external_id\`;`);
    }
  }

}
