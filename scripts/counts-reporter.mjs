// The Jasmine reporter every runner of ours uses to count specs for `npm test`'s one "N passed, N failed" line.
// It also keeps the failed specs' names with their first message (counts.failures), so the end of the run can list
// them next to that line: a CI log is often read from its tail only.
export function countingReporter(counts) {
  counts.failures ??= [];
  const remember = (result) =>
    counts.failures.push(`${result.fullName}: ${(result.failedExpectations?.[0]?.message ?? '').split('\n')[0]}`);
  return {
    specDone(result) {
      if (result.status === 'passed') counts.passed++;
      else if (result.status === 'failed') {
        counts.failed++;
        remember(result);
      } else counts.skipped++;
    },
    suiteDone(result) {
      // an error in beforeAll/afterAll fails the suite without failing a spec; count it so it cannot pass silently
      if (result.status === 'failed') {
        counts.failed++;
        remember(result);
      }
    },
  };
}
