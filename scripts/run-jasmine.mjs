// Runs the server specs once (the database is chosen by TEST_DATABASE_URL) and writes the counts to argv[2].
import fs from 'node:fs';
import Jasmine from 'jasmine';
import { countingReporter } from './counts-reporter.mjs';

// request logs would drown the spec output; warnings and errors still show
process.env.LOG_LEVEL ??= 'warn';

const [, , countsFile, label, configFile = 'server/jasmine.json'] = process.argv;
const jasmine = new Jasmine({ projectBaseDir: process.cwd() });
jasmine.loadConfigFile(configFile);
jasmine.exitOnCompletion = false;
const counts = { passed: 0, failed: 0, skipped: 0 };
jasmine.addReporter(countingReporter(counts));
const result = await jasmine.execute();
if (result.overallStatus !== 'passed' && counts.failed === 0) counts.failed = 1;
fs.writeFileSync(countsFile, JSON.stringify(counts));
console.log(
  `[${label}] ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
);
process.exit(0);
