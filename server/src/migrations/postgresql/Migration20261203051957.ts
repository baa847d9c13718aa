import { Migration } from '@mikro-orm/migrations';

/**
 * issue 13: the grade feed and its webhooks. A grade change's place in the feed (`feed_pos`) is taken from one counter
 * row, updated by a trigger inside the inserting transaction: the row stays locked until that transaction commits, so
 * positions are handed out in commit order and a reader past position N never misses a later commit below N (a plain
 * sequence value may be taken by a transaction that commits after a higher one). Webhook endpoints per API client
 * remember how far they were delivered; the attempts are logged.
 */
export class Migration20261203051957 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "grade_feed_head" ("id" int not null, "pos" bigint not null, constraint "grade_feed_head_pkey" primary key ("id"), constraint "grade_feed_head_single" check ("id" = 1));`);
    this.addSql(`alter table "grade_changes" add column "feed_pos" bigint null;`);
    this.addSql(`update "grade_changes" set "feed_pos" = "seq";`);
    this.addSql(`insert into "grade_feed_head" ("id", "pos") select 1, coalesce(max("seq"), 0) from "grade_changes";`);
    this.addSql(`create unique index "grade_changes_feed_pos_unique" on "grade_changes" ("feed_pos");`);
    this.addSql(`create or replace function "grade_changes_feed_pos"() returns trigger language plpgsql as $$
begin
  update "grade_feed_head" set "pos" = "pos" + 1 where "id" = 1 returning "pos" into new."feed_pos";
  return new;
end
$$;`);
    this.addSql(`create trigger "grade_changes_feed_pos" before insert on "grade_changes" for each row execute function "grade_changes_feed_pos"();`);

    this.addSql(`create table "webhook_endpoints" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "api_client_id" varchar(36) not null, "url" text not null, "secret_cipher" text not null, "secret_start" varchar(12) not null, "enabled" boolean not null default true, "failing_since" timestamptz null, "delivered_pos" bigint not null default 0, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "lease_owner" varchar(64) null, "lease_until" timestamptz null, "created_by_id" varchar(36) null, constraint "webhook_endpoints_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoints_api_client_id_index" on "webhook_endpoints" ("api_client_id");`);
    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_api_client_id_foreign" foreign key ("api_client_id") references "api_clients" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`create table "webhook_deliveries" ("id" varchar(36) not null, "endpoint_id" varchar(36) not null, "feed_pos" bigint not null, "attempt" int not null, "at" timestamptz not null, "ok" boolean not null, "status_code" int null, "duration_ms" int not null, "error" text null, "response_excerpt" text null, constraint "webhook_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_endpoint_id_at_index" on "webhook_deliveries" ("endpoint_id", "at");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
    this.addSql(`drop trigger if exists "grade_changes_feed_pos" on "grade_changes";`);
    this.addSql(`drop function if exists "grade_changes_feed_pos"();`);
    this.addSql(`alter table "grade_changes" drop column if exists "feed_pos";`);
    this.addSql(`drop table if exists "grade_feed_head" cascade;`);
  }

}
