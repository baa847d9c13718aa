import { Migration } from '@mikro-orm/migrations';

/** issue 12 (E6): a retake exam names the exam it retakes, for that exam's FX students. */
export class Migration20261203000015 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`exams\` add column \`retake_of_id\` text null constraint \`exams_retake_of_id_foreign\` references \`exams\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`create index \`exams_retake_of_id_index\` on \`exams\` (\`retake_of_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`exams_retake_of_id_index\`;`);
    this.addSql(`alter table \`exams\` drop column \`retake_of_id\`;`);
  }

}
