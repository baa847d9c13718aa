import { Migration } from '@mikro-orm/migrations';

/** Issue 11: drafts sent at the end (Exam.autoSendAtEnd, Answer.sendMode). */
export class Migration20261202202424 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`exams\` add column \`auto_send_at_end\` integer null;`);
    this.addSql(`alter table \`answers\` add column \`send_mode\` text check (\`send_mode\` in ('STUDENT', 'LATE_WITHIN_GRACE', 'AUTOMATIC')) null;`);
    // answers sent before were sent by their students
    this.addSql(`update \`answers\` set \`send_mode\` = 'STUDENT' where \`status\` = 'SUBMITTED';`);
    // an exam over for every student keeps its drafts unsent (null: running and later exams follow AUTO_SEND_AT_END)
    this.addSql(`update \`exams\` set \`auto_send_at_end\` = 0 where \`ends_at\` < cast(strftime('%s', 'now') as integer) * 1000 and not exists (select 1 from \`sittings\` s where s.\`exam_id\` = \`exams\`.\`id\` and s.\`ends_at_override\` >= cast(strftime('%s', 'now') as integer) * 1000);`);
  }

}
