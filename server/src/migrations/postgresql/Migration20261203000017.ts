import { Migration } from '@mikro-orm/migrations';

/** issue 12 (E6): a retake exam names the exam it retakes, for that exam's FX students. */
export class Migration20261203000017 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "exams" add column "retake_of_id" varchar(36) null;`);
    this.addSql(`alter table "exams" add constraint "exams_retake_of_id_foreign" foreign key ("retake_of_id") references "exams" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "exams" drop constraint "exams_retake_of_id_foreign";`);

    this.addSql(`alter table "exams" drop column "retake_of_id";`);
  }

}
