// The Jasmine reporter every runner of ours uses to count specs for `npm test`'s one "N passed, N failed" line.
export function countingReporter(counts) {
  return {
    specDone(result) {
      if (result.status === 'passed') counts.passed++;
      else if (result.status === 'failed') counts.failed++;
      else counts.skipped++;
    },
    suiteDone(result) {
      // an error in beforeAll/afterAll fails the suite without failing a spec; count it so it cannot pass silently
      if (result.status === 'failed') counts.failed++;
    },
  };
}
