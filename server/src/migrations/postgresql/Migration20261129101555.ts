import { Migration } from '@mikro-orm/migrations';

export class Migration20261129101555 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "academic_years" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "title" varchar(20) not null, "starts_on" varchar(10) not null, "ends_on" varchar(10) not null, constraint "academic_years_pkey" primary key ("id"));`);
    this.addSql(`alter table "academic_years" add constraint "academic_years_title_unique" unique ("title");`);

    this.addSql(`create table "disciplines" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(50) not null, "title" varchar(300) not null, constraint "disciplines_pkey" primary key ("id"));`);
    this.addSql(`alter table "disciplines" add constraint "disciplines_code_unique" unique ("code");`);

    this.addSql(`create table "periods" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "academic_year_id" varchar(36) not null, "number" int not null, "title" varchar(100) not null, "starts_on" varchar(10) not null, "ends_on" varchar(10) not null, constraint "periods_pkey" primary key ("id"));`);
    this.addSql(`alter table "periods" add constraint "periods_academic_year_id_number_unique" unique ("academic_year_id", "number");`);

    this.addSql(`create table "users" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "login" varchar(100) not null, "full_name" varchar(300) not null, "role" text check ("role" in ('STUDENT', 'TEACHER', 'STAFF')) not null, "password_hash" varchar(255) null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_login_unique" unique ("login");`);

    this.addSql(`create table "exams" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "period_id" varchar(36) not null, "discipline_id" varchar(36) not null, "teacher_id" varchar(36) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "format" text check ("format" in ('TICKETS', 'TASK')) not null, "ticket_assignment" text check ("ticket_assignment" in ('STUDENT_CHOICE', 'RANDOM', 'STAFF')) null, "task_text" text null, "platform_name" varchar(200) null, "platform_url" varchar(2000) null, "platform_login" varchar(200) null, "platform_password" varchar(200) null, "recording_url" varchar(2000) null, "recording_visible" boolean not null default false, constraint "exams_pkey" primary key ("id"));`);

    this.addSql(`create table "tickets" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "exam_id" varchar(36) not null, "number" int not null, "questions" text not null, constraint "tickets_pkey" primary key ("id"));`);
    this.addSql(`alter table "tickets" add constraint "tickets_exam_id_number_unique" unique ("exam_id", "number");`);

    this.addSql(`create table "sittings" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "exam_id" varchar(36) not null, "student_id" varchar(36) not null, "ticket_id" varchar(36) null, "entered_at" timestamptz null, "last_seen_at" timestamptz null, "ticket_chosen_at" timestamptz null, "questions_released_at" timestamptz null, "questions_viewed_at" timestamptz null, "ends_at_override" timestamptz null, "score" int null, "letter" varchar(3) null, "gpa" double precision null, "grade_comment" text null, "graded_at" timestamptz null, "graded_by_id" varchar(36) null, constraint "sittings_pkey" primary key ("id"));`);
    this.addSql(`alter table "sittings" add constraint "sittings_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`alter table "sittings" add constraint "sittings_exam_id_student_id_unique" unique ("exam_id", "student_id");`);

    this.addSql(`create table "sitting_events" ("id" varchar(36) not null, "sitting_id" varchar(36) not null, "kind" varchar(40) not null, "at" timestamptz not null, "actor_id" varchar(36) null, "detail" varchar(500) null, constraint "sitting_events_pkey" primary key ("id"));`);

    this.addSql(`create table "answers" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sitting_id" varchar(36) not null, "text" text not null default '', "status" text check ("status" in ('DRAFT', 'SUBMITTED')) not null default 'DRAFT', "saved_at" timestamptz null, "submitted_at" timestamptz null, constraint "answers_pkey" primary key ("id"));`);
    this.addSql(`alter table "answers" add constraint "answers_sitting_id_unique" unique ("sitting_id");`);

    this.addSql(`create table "stored_files" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(255) not null, "size" int not null, "content_type" varchar(150) not null, "uploaded_by_id" varchar(36) null, "answer_id" varchar(36) null, "ticket_id" varchar(36) null, "task_exam_id" varchar(36) null, constraint "stored_files_pkey" primary key ("id"));`);

    this.addSql(`create table "auth_sessions" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "token_hash" varchar(64) not null, "user_id" varchar(36) not null, "expires_at" timestamptz not null, constraint "auth_sessions_pkey" primary key ("id"));`);
    this.addSql(`alter table "auth_sessions" add constraint "auth_sessions_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "periods" add constraint "periods_academic_year_id_foreign" foreign key ("academic_year_id") references "academic_years" ("id") on update cascade;`);

    this.addSql(`alter table "exams" add constraint "exams_period_id_foreign" foreign key ("period_id") references "periods" ("id") on update cascade;`);
    this.addSql(`alter table "exams" add constraint "exams_discipline_id_foreign" foreign key ("discipline_id") references "disciplines" ("id") on update cascade;`);
    this.addSql(`alter table "exams" add constraint "exams_teacher_id_foreign" foreign key ("teacher_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "tickets" add constraint "tickets_exam_id_foreign" foreign key ("exam_id") references "exams" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sittings" add constraint "sittings_exam_id_foreign" foreign key ("exam_id") references "exams" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sittings" add constraint "sittings_student_id_foreign" foreign key ("student_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "sittings" add constraint "sittings_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "sittings" add constraint "sittings_graded_by_id_foreign" foreign key ("graded_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "sitting_events" add constraint "sitting_events_sitting_id_foreign" foreign key ("sitting_id") references "sittings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sitting_events" add constraint "sitting_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "answers" add constraint "answers_sitting_id_foreign" foreign key ("sitting_id") references "sittings" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "stored_files" add constraint "stored_files_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "stored_files" add constraint "stored_files_answer_id_foreign" foreign key ("answer_id") references "answers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "stored_files" add constraint "stored_files_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "stored_files" add constraint "stored_files_task_exam_id_foreign" foreign key ("task_exam_id") references "exams" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "auth_sessions" add constraint "auth_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

}
