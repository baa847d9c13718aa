// Karma for the component specs: one run in headless Chromium (CHROME_BIN, Debian's /usr/bin/chromium by default).
// With COUNTS_FILE set, the pass/fail counts are written there as JSON for scripts/test.mjs to add up.
const fs = require('node:fs');

process.env.CHROME_BIN ??= '/usr/bin/chromium';

function CountsReporter(baseReporterDecorator) {
  baseReporterDecorator(this);
  const counts = { passed: 0, failed: 0, skipped: 0 };
  this.onSpecComplete = (_browser, result) => {
    if (result.skipped) counts.skipped++;
    else if (result.success) counts.passed++;
    else counts.failed++;
  };
  this.onRunComplete = (_browsers, results) => {
    // an error outside any spec (a failed compile, a crash) fails the run without failing a spec
    if ((results.error || results.disconnected) && counts.failed === 0) counts.failed = 1;
    if (process.env.COUNTS_FILE) fs.writeFileSync(process.env.COUNTS_FILE, JSON.stringify(counts));
    process.stdout.write(`\n[client] ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`);
  };
}
CountsReporter.$inject = ['baseReporterDecorator'];

module.exports = (config) => {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher'), { 'reporter:counts': ['type', CountsReporter] }],
    client: { jasmine: { random: true, timeoutInterval: 10000 }, clearContext: true },
    reporters: ['dots', 'counts'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [
          '--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run',
        ],
      },
    },
    browserNoActivityTimeout: 60000,
    singleRun: true,
    restartOnFileChange: false,
  });
};
