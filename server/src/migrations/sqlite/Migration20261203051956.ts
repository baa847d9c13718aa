import { Migration } from '@mikro-orm/migrations';

/**
 * issue 13: webhooks of the grade feed. On SQLite the feed pages by grade_changes.seq itself: one writer at a time
 * takes the numbers and commits, so they are in commit order already. Webhook endpoints per API client remember how
 * far they were delivered; the attempts are logged.
 */
export class Migration20261203051956 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`webhook_endpoints\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`api_client_id\` text not null, \`url\` text not null, \`secret_cipher\` text not null, \`secret_start\` text not null, \`enabled\` integer not null default true, \`failing_since\` datetime null, \`delivered_pos\` integer not null default 0, \`attempts\` integer not null default 0, \`next_attempt_at\` datetime null, \`last_error\` text null, \`lease_owner\` text null, \`lease_until\` datetime null, \`created_by_id\` text null, constraint \`webhook_endpoints_api_client_id_foreign\` foreign key(\`api_client_id\`) references \`api_clients\`(\`id\`) on delete cascade on update cascade, constraint \`webhook_endpoints_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_endpoints_api_client_id_index\` on \`webhook_endpoints\` (\`api_client_id\`);`);
    this.addSql(`create index \`webhook_endpoints_created_by_id_index\` on \`webhook_endpoints\` (\`created_by_id\`);`);

    this.addSql(`create table \`webhook_deliveries\` (\`id\` text not null, \`endpoint_id\` text not null, \`feed_pos\` integer not null, \`attempt\` integer not null, \`at\` datetime not null, \`ok\` integer not null, \`status_code\` integer null, \`duration_ms\` integer not null, \`error\` text null, \`response_excerpt\` text null, constraint \`webhook_deliveries_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoints\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_deliveries_endpoint_id_at_index\` on \`webhook_deliveries\` (\`endpoint_id\`, \`at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`webhook_deliveries\`;`);
    this.addSql(`drop table if exists \`webhook_endpoints\`;`);
  }

}
