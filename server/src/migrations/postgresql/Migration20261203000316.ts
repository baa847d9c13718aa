import { Migration } from '@mikro-orm/migrations';

/** Issue 12: blind marking per exam (Exam.blindMarking); existing exams are not blind. */
export class Migration20261203000316 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "exams" add column "blind_marking" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "exams" drop column "blind_marking";`);
  }

}
