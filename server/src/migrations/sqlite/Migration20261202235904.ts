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
export class Migration20261202235904 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`non_working_days\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`date\` text not null, \`title\` text not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`non_working_days_date_unique\` on \`non_working_days\` (\`date\`);`);

    this.addSql(`create table \`appeals\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`sitting_id\` text not null, \`text\` text not null, \`status\` text not null default 'FILED', \`filed_at\` datetime not null, \`commission_set_at\` datetime null, \`decision\` text null, \`previous_score\` integer null, \`new_score\` integer null, \`reason\` text null, \`decided_at\` datetime null, \`decided_by_id\` text null, constraint \`appeals_sitting_id_foreign\` foreign key(\`sitting_id\`) references \`sittings\`(\`id\`) on delete cascade on update cascade, constraint \`appeals_decided_by_id_foreign\` foreign key(\`decided_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`appeals_sitting_id_unique\` on \`appeals\` (\`sitting_id\`);`);
    this.addSql(`create index \`appeals_decided_by_id_index\` on \`appeals\` (\`decided_by_id\`);`);

    this.addSql(`create table \`appeal_commission_members\` (\`appeal_id\` text not null, \`user_id\` text not null, constraint \`appeal_commission_members_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeals\`(\`id\`) on delete cascade on update cascade, constraint \`appeal_commission_members_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`appeal_id\`, \`user_id\`));`);
    this.addSql(`create index \`appeal_commission_members_appeal_id_index\` on \`appeal_commission_members\` (\`appeal_id\`);`);
    this.addSql(`create index \`appeal_commission_members_user_id_index\` on \`appeal_commission_members\` (\`user_id\`);`);

    this.addSql(`alter table \`stored_files\` add column \`appeal_id\` text null constraint \`stored_files_appeal_id_foreign\` references \`appeals\`(\`id\`) on delete cascade on update cascade;`);
    this.addSql(`create index \`stored_files_appeal_id_index\` on \`stored_files\` (\`appeal_id\`);`);

    const now = Date.now(); // SQLite keeps timestamps as epoch milliseconds
    for (const [date, title] of NON_WORKING_DAYS) {
      this.addSql(this.getKnex().insert({ id: randomUUID(), created_at: now, updated_at: now, date, title }).into('non_working_days'));
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists \`stored_files_appeal_id_index\`;`);
    this.addSql(`alter table \`stored_files\` drop column \`appeal_id\`;`);
    this.addSql(`drop table if exists \`appeal_commission_members\`;`);
    this.addSql(`drop table if exists \`appeals\`;`);
    this.addSql(`drop table if exists \`non_working_days\`;`);
  }

}
