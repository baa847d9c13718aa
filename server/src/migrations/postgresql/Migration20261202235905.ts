import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';

/** Kazakhstan's public holidays of 2025–2027 and the days off moved from those on a weekend (Labour Code, art. 85). */
const NON_WORKING_DAYS: [string, string][] = [
  ['2025-01-01', 'Жаңа жыл'],
  ['2025-01-02', 'Жаңа жыл'],
  ['2025-01-07', 'Православиелік Рождество'],
  ['2025-03-08', 'Халықаралық әйелдер күні'],
  ['2025-03-10', 'Халықаралық әйелдер күні (ауыстырылған демалыс күні)'],
  ['2025-03-21', 'Наурыз мейрамы'],
  ['2025-03-22', 'Наурыз мейрамы'],
  ['2025-03-23', 'Наурыз мейрамы'],
  ['2025-03-24', 'Наурыз мейрамы (ауыстырылған демалыс күні)'],
  ['2025-03-25', 'Наурыз мейрамы (ауыстырылған демалыс күні)'],
  ['2025-05-01', 'Қазақстан халқының бірлігі мерекесі'],
  ['2025-05-07', 'Отан қорғаушы күні'],
  ['2025-05-09', 'Жеңіс күні'],
  ['2025-06-06', 'Құрбан айт'],
  ['2025-07-06', 'Астана күні'],
  ['2025-07-07', 'Астана күні (ауыстырылған демалыс күні)'],
  ['2025-08-30', 'Конституция күні'],
  ['2025-09-01', 'Конституция күні (ауыстырылған демалыс күні)'],
  ['2025-10-25', 'Республика күні'],
  ['2025-10-27', 'Республика күні (ауыстырылған демалыс күні)'],
  ['2025-12-16', 'Тәуелсіздік күні'],
  ['2026-01-01', 'Жаңа жыл'],
  ['2026-01-02', 'Жаңа жыл'],
  ['2026-01-07', 'Православиелік Рождество'],
  ['2026-03-08', 'Халықаралық әйелдер күні'],
  ['2026-03-09', 'Халықаралық әйелдер күні (ауыстырылған демалыс күні)'],
  ['2026-03-21', 'Наурыз мейрамы'],
  ['2026-03-22', 'Наурыз мейрамы'],
  ['2026-03-23', 'Наурыз мейрамы'],
  ['2026-03-24', 'Наурыз мейрамы (ауыстырылған демалыс күні)'],
  ['2026-03-25', 'Наурыз мейрамы (ауыстырылған демалыс күні)'],
  ['2026-05-01', 'Қазақстан халқының бірлігі мерекесі'],
  ['2026-05-07', 'Отан қорғаушы күні'],
  ['2026-05-09', 'Жеңіс күні'],
  ['2026-05-11', 'Жеңіс күні (ауыстырылған демалыс күні)'],
  ['2026-05-27', 'Құрбан айт'],
  ['2026-07-06', 'Астана күні'],
  ['2026-08-30', 'Конституция күні'],
  ['2026-08-31', 'Конституция күні (ауыстырылған демалыс күні)'],
  ['2026-10-25', 'Республика күні'],
  ['2026-10-26', 'Республика күні (ауыстырылған демалыс күні)'],
  ['2026-12-16', 'Тәуелсіздік күні'],
  ['2027-01-01', 'Жаңа жыл'],
  ['2027-01-02', 'Жаңа жыл'],
  ['2027-01-04', 'Жаңа жыл (ауыстырылған демалыс күні)'],
  ['2027-01-07', 'Православиелік Рождество'],
  ['2027-03-08', 'Халықаралық әйелдер күні'],
  ['2027-03-21', 'Наурыз мейрамы'],
  ['2027-03-22', 'Наурыз мейрамы'],
  ['2027-03-23', 'Наурыз мейрамы'],
  ['2027-03-24', 'Наурыз мейрамы (ауыстырылған демалыс күні)'],
  ['2027-05-01', 'Қазақстан халқының бірлігі мерекесі'],
  ['2027-05-03', 'Қазақстан халқының бірлігі мерекесі (ауыстырылған демалыс күні)'],
  ['2027-05-07', 'Отан қорғаушы күні'],
  ['2027-05-09', 'Жеңіс күні'],
  ['2027-05-10', 'Жеңіс күні (ауыстырылған демалыс күні)'],
  ['2027-05-16', 'Құрбан айт'],
  ['2027-07-06', 'Астана күні'],
  ['2027-08-30', 'Конституция күні'],
  ['2027-10-25', 'Республика күні'],
  ['2027-12-16', 'Тәуелсіздік күні'],
];

/** issue 12: the calendar's non-working days (seeded with Kazakhstan's holidays), appeals and their commissions. */
export class Migration20261202235905 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "non_working_days" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "date" varchar(10) not null, "title" varchar(200) not null, constraint "non_working_days_pkey" primary key ("id"));`);
    this.addSql(`alter table "non_working_days" add constraint "non_working_days_date_unique" unique ("date");`);

    this.addSql(`create table "appeals" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sitting_id" varchar(36) not null, "text" text not null, "status" varchar(20) not null default 'FILED', "filed_at" timestamptz not null, "commission_set_at" timestamptz null, "decision" varchar(10) null, "previous_score" int null, "new_score" int null, "reason" text null, "decided_at" timestamptz null, "decided_by_id" varchar(36) null, constraint "appeals_pkey" primary key ("id"));`);
    this.addSql(`alter table "appeals" add constraint "appeals_sitting_id_unique" unique ("sitting_id");`);
    this.addSql(`create index "appeals_decided_by_id_index" on "appeals" ("decided_by_id");`);
    this.addSql(`alter table "appeals" add constraint "appeals_sitting_id_foreign" foreign key ("sitting_id") references "sittings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "appeals" add constraint "appeals_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`create table "appeal_commission_members" ("appeal_id" varchar(36) not null, "user_id" varchar(36) not null, constraint "appeal_commission_members_pkey" primary key ("appeal_id", "user_id"));`);
    this.addSql(`create index "appeal_commission_members_user_id_index" on "appeal_commission_members" ("user_id");`);
    this.addSql(`alter table "appeal_commission_members" add constraint "appeal_commission_members_appeal_id_foreign" foreign key ("appeal_id") references "appeals" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "appeal_commission_members" add constraint "appeal_commission_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "stored_files" add column "appeal_id" varchar(36) null;`);
    this.addSql(`create index "stored_files_appeal_id_index" on "stored_files" ("appeal_id");`);
    this.addSql(`alter table "stored_files" add constraint "stored_files_appeal_id_foreign" foreign key ("appeal_id") references "appeals" ("id") on update cascade on delete cascade;`);

    const now = new Date();
    for (const [date, title] of NON_WORKING_DAYS) {
      this.addSql(this.getKnex().insert({ id: randomUUID(), created_at: now, updated_at: now, date, title }).into('non_working_days'));
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "stored_files" drop constraint "stored_files_appeal_id_foreign";`);
    this.addSql(`alter table "stored_files" drop column "appeal_id";`);
    this.addSql(`drop table if exists "appeal_commission_members" cascade;`);
    this.addSql(`drop table if exists "appeals" cascade;`);
    this.addSql(`drop table if exists "non_working_days" cascade;`);
  }

}
