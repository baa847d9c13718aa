import { Migration } from '@mikro-orm/migrations';

/** issue 13: API clients (other systems) with a hashed bearer token, scopes, a rate limit, last use and revocation. */
export class Migration20261203000927 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_clients" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(100) not null, "scopes" text not null, "token_hash" varchar(64) not null, "token_start" varchar(12) not null, "requests_per_minute" int null, "created_by_id" varchar(36) null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_clients_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_clients" add constraint "api_clients_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "api_clients" add constraint "api_clients_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_clients" cascade;`);
  }

}
