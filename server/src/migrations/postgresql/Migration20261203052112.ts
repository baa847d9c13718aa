import { Migration } from '@mikro-orm/migrations';
import { searchKeyOf } from '../../common/search-text';

/**
 * issue 13, paging and search: people and disciplines carry a search key folded in JavaScript (common/search-text.ts),
 * so a search finds Cyrillic and Kazakh names whatever their case on SQLite as on PostgreSQL; existing rows get theirs here.
 */
export class Migration20261203052112 extends Migration {

  override async up(): Promise<void> {
    const users = await this.execute('select id, full_name, login from users');
    const disciplines = await this.execute('select id, title, code from disciplines');
    this.addSql(`alter table "users" add column "search_key" varchar(500) not null default '';`);
    this.addSql(`alter table "disciplines" add column "search_key" varchar(500) not null default '';`);
    const knex = this.getKnex();
    for (const u of users)
      this.addSql(knex.raw('update users set search_key = ? where id = ?', [searchKeyOf(String(u.full_name), String(u.login)), String(u.id)]));
    for (const d of disciplines)
      this.addSql(knex.raw('update disciplines set search_key = ? where id = ?', [searchKeyOf(String(d.title), String(d.code)), String(d.id)]));
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "search_key";`);
    this.addSql(`alter table "disciplines" drop column "search_key";`);
  }

}
