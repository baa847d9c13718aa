import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 12: grade publication. Exams choose when grades reach students (new exams: ON_PUBLICATION); exams from before
 * were publishing each grade at once, so they stay AT_ONCE and the grades their students already saw stay published.
 * Published grades keep a history (grade_changes, numbered by seq).
 */
export class Migration20261203000137 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "grade_changes" ("seq" serial primary key, "sitting_id" varchar(36) not null, "kind" text check ("kind" in ('PUBLISHED', 'CORRECTED', 'APPEAL_DECIDED')) not null, "score" int not null, "letter" varchar(3) not null, "gpa" double precision not null, "previous_score" int null, "reason" text null, "actor_id" varchar(36) null, "at" timestamptz not null);`);
    this.addSql(`create index "grade_changes_sitting_id_index" on "grade_changes" ("sitting_id");`);

    this.addSql(`alter table "grade_changes" add constraint "grade_changes_sitting_id_foreign" foreign key ("sitting_id") references "sittings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "grade_changes" add constraint "grade_changes_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "exams" add column "results_release" text check ("results_release" in ('AT_ONCE', 'ON_PUBLICATION')) not null default 'ON_PUBLICATION', add column "results_published_at" timestamptz null, add column "results_published_by_id" varchar(36) null;`);
    this.addSql(`alter table "exams" add constraint "exams_results_published_by_id_foreign" foreign key ("results_published_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "sittings" add column "grade_published_at" timestamptz null;`);

    // the exams that existed showed each grade as it was saved: they keep doing so, and what was shown stays published
    this.addSql(`update "exams" set "results_release" = 'AT_ONCE';`);
    this.addSql(`update "sittings" set "grade_published_at" = "graded_at" where "score" is not null and "graded_at" is not null;`);
    this.addSql(`insert into "grade_changes" ("sitting_id", "kind", "score", "letter", "gpa", "actor_id", "at") select "id", 'PUBLISHED', "score", "letter", "gpa", "graded_by_id", "graded_at" from "sittings" where "grade_published_at" is not null order by "graded_at", "id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "grade_changes" cascade;`);

    this.addSql(`alter table "exams" drop constraint "exams_results_published_by_id_foreign";`);

    this.addSql(`alter table "exams" drop column "results_release", drop column "results_published_at", drop column "results_published_by_id";`);

    this.addSql(`alter table "sittings" drop column "grade_published_at";`);
  }

}
