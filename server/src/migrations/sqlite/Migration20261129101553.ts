import { Migration } from '@mikro-orm/migrations';

export class Migration20261129101553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`academic_years\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`title\` text not null, \`starts_on\` text not null, \`ends_on\` text not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`academic_years_title_unique\` on \`academic_years\` (\`title\`);`);

    this.addSql(`create table \`disciplines\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`code\` text not null, \`title\` text not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`disciplines_code_unique\` on \`disciplines\` (\`code\`);`);

    this.addSql(`create table \`periods\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`academic_year_id\` text not null, \`number\` integer not null, \`title\` text not null, \`starts_on\` text not null, \`ends_on\` text not null, constraint \`periods_academic_year_id_foreign\` foreign key(\`academic_year_id\`) references \`academic_years\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`periods_academic_year_id_index\` on \`periods\` (\`academic_year_id\`);`);
    this.addSql(`create unique index \`periods_academic_year_id_number_unique\` on \`periods\` (\`academic_year_id\`, \`number\`);`);

    this.addSql(`create table \`users\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`login\` text not null, \`full_name\` text not null, \`role\` text check (\`role\` in ('STUDENT', 'TEACHER', 'STAFF')) not null, \`password_hash\` text null, primary key (\`id\`));`);
    this.addSql(`create unique index \`users_login_unique\` on \`users\` (\`login\`);`);

    this.addSql(`create table \`exams\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`period_id\` text not null, \`discipline_id\` text not null, \`teacher_id\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`format\` text check (\`format\` in ('TICKETS', 'TASK')) not null, \`ticket_assignment\` text check (\`ticket_assignment\` in ('STUDENT_CHOICE', 'RANDOM', 'STAFF')) null, \`task_text\` text null, \`platform_name\` text null, \`platform_url\` text null, \`platform_login\` text null, \`platform_password\` text null, \`recording_url\` text null, \`recording_visible\` integer not null default false, constraint \`exams_period_id_foreign\` foreign key(\`period_id\`) references \`periods\`(\`id\`) on update cascade, constraint \`exams_discipline_id_foreign\` foreign key(\`discipline_id\`) references \`disciplines\`(\`id\`) on update cascade, constraint \`exams_teacher_id_foreign\` foreign key(\`teacher_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`exams_period_id_index\` on \`exams\` (\`period_id\`);`);
    this.addSql(`create index \`exams_discipline_id_index\` on \`exams\` (\`discipline_id\`);`);
    this.addSql(`create index \`exams_teacher_id_index\` on \`exams\` (\`teacher_id\`);`);

    this.addSql(`create table \`tickets\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`exam_id\` text not null, \`number\` integer not null, \`questions\` text not null, constraint \`tickets_exam_id_foreign\` foreign key(\`exam_id\`) references \`exams\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`tickets_exam_id_index\` on \`tickets\` (\`exam_id\`);`);
    this.addSql(`create unique index \`tickets_exam_id_number_unique\` on \`tickets\` (\`exam_id\`, \`number\`);`);

    this.addSql(`create table \`sittings\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`exam_id\` text not null, \`student_id\` text not null, \`ticket_id\` text null, \`entered_at\` datetime null, \`last_seen_at\` datetime null, \`ticket_chosen_at\` datetime null, \`questions_released_at\` datetime null, \`questions_viewed_at\` datetime null, \`ends_at_override\` datetime null, \`score\` integer null, \`letter\` text null, \`gpa\` double null, \`grade_comment\` text null, \`graded_at\` datetime null, \`graded_by_id\` text null, constraint \`sittings_exam_id_foreign\` foreign key(\`exam_id\`) references \`exams\`(\`id\`) on delete cascade on update cascade, constraint \`sittings_student_id_foreign\` foreign key(\`student_id\`) references \`users\`(\`id\`) on update cascade, constraint \`sittings_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`tickets\`(\`id\`) on delete set null on update cascade, constraint \`sittings_graded_by_id_foreign\` foreign key(\`graded_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`sittings_exam_id_index\` on \`sittings\` (\`exam_id\`);`);
    this.addSql(`create index \`sittings_student_id_index\` on \`sittings\` (\`student_id\`);`);
    this.addSql(`create index \`sittings_ticket_id_index\` on \`sittings\` (\`ticket_id\`);`);
    this.addSql(`create unique index \`sittings_ticket_id_unique\` on \`sittings\` (\`ticket_id\`);`);
    this.addSql(`create index \`sittings_graded_by_id_index\` on \`sittings\` (\`graded_by_id\`);`);
    this.addSql(`create unique index \`sittings_exam_id_student_id_unique\` on \`sittings\` (\`exam_id\`, \`student_id\`);`);

    this.addSql(`create table \`sitting_events\` (\`id\` text not null, \`sitting_id\` text not null, \`kind\` text not null, \`at\` datetime not null, \`actor_id\` text null, \`detail\` text null, constraint \`sitting_events_sitting_id_foreign\` foreign key(\`sitting_id\`) references \`sittings\`(\`id\`) on delete cascade on update cascade, constraint \`sitting_events_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`sitting_events_sitting_id_index\` on \`sitting_events\` (\`sitting_id\`);`);
    this.addSql(`create index \`sitting_events_actor_id_index\` on \`sitting_events\` (\`actor_id\`);`);

    this.addSql(`create table \`answers\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`sitting_id\` text not null, \`text\` text not null default '', \`status\` text check (\`status\` in ('DRAFT', 'SUBMITTED')) not null default 'DRAFT', \`saved_at\` datetime null, \`submitted_at\` datetime null, constraint \`answers_sitting_id_foreign\` foreign key(\`sitting_id\`) references \`sittings\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`answers_sitting_id_unique\` on \`answers\` (\`sitting_id\`);`);

    this.addSql(`create table \`stored_files\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`name\` text not null, \`size\` integer not null, \`content_type\` text not null, \`uploaded_by_id\` text null, \`answer_id\` text null, \`ticket_id\` text null, \`task_exam_id\` text null, constraint \`stored_files_uploaded_by_id_foreign\` foreign key(\`uploaded_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, constraint \`stored_files_answer_id_foreign\` foreign key(\`answer_id\`) references \`answers\`(\`id\`) on delete cascade on update cascade, constraint \`stored_files_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`tickets\`(\`id\`) on delete cascade on update cascade, constraint \`stored_files_task_exam_id_foreign\` foreign key(\`task_exam_id\`) references \`exams\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`stored_files_uploaded_by_id_index\` on \`stored_files\` (\`uploaded_by_id\`);`);
    this.addSql(`create index \`stored_files_answer_id_index\` on \`stored_files\` (\`answer_id\`);`);
    this.addSql(`create index \`stored_files_ticket_id_index\` on \`stored_files\` (\`ticket_id\`);`);
    this.addSql(`create index \`stored_files_task_exam_id_index\` on \`stored_files\` (\`task_exam_id\`);`);

    this.addSql(`create table \`auth_sessions\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`token_hash\` text not null, \`user_id\` text not null, \`expires_at\` datetime not null, constraint \`auth_sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`auth_sessions_token_hash_unique\` on \`auth_sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`auth_sessions_user_id_index\` on \`auth_sessions\` (\`user_id\`);`);
  }

}
