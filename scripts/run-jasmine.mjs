// Runs the server specs once (the database is chosen by TEST_DATABASE_URL) and writes the counts to argv[2].
import fs from 'node:fs';
import Jasmine from 'jasmine';

const [, , countsFile, label] = process.argv;
const jasmine = new Jasmine({ projectBaseDir: process.cwd() });
jasmine.loadConfigFile('server/jasmine.json');
jasmine.exitOnCompletion = false;
const counts = { passed: 0, failed: 0, skipped: 0 };
jasmine.addReporter({
  specDone(result) {
    if (result.status === 'passed') counts.passed++;
    else if (result.status === 'failed') counts.failed++;
    else counts.skipped++;
  },
  suiteDone(result) {
    // an error in beforeAll/afterAll fails the suite without failing a spec; count it so it cannot pass silently
    if (result.status === 'failed') counts.failed++;
  },
});
const result = await jasmine.execute();
if (result.overallStatus !== 'passed' && counts.failed === 0) counts.failed = 1;
fs.writeFileSync(countsFile, JSON.stringify(counts));
console.log(`[${label}] ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(0);
