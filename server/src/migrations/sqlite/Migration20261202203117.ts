import { Migration } from '@mikro-orm/migrations';

/** issue 11: the answer's version, so a save over a change made on another device or tab is refused. */
export class Migration20261202203117 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`answers\` add column \`version\` integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`answers\` drop column \`version\`;`);
  }

}
