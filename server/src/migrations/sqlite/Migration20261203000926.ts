import { Migration } from '@mikro-orm/migrations';

/** issue 13: API clients (other systems) with a hashed bearer token, scopes, a rate limit, last use and revocation. */
export class Migration20261203000926 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_clients\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`name\` text not null, \`scopes\` text not null, \`token_hash\` text not null, \`token_start\` text not null, \`requests_per_minute\` integer null, \`created_by_id\` text null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`api_clients_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`api_clients_token_hash_unique\` on \`api_clients\` (\`token_hash\`);`);
    this.addSql(`create index \`api_clients_created_by_id_index\` on \`api_clients\` (\`created_by_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`api_clients\`;`);
  }

}
