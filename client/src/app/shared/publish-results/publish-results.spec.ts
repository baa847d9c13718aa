import type { PublishSummaryQuery } from '../../core/graphql/generated';
import { publicationCounts } from './publish-results';

type Summary = NonNullable<PublishSummaryQuery['exam']>;
type Row = Summary['sittings'][number];

const NOW = Date.parse('2026-12-10T10:00:00Z');
const row = (id: string, overrides: Partial<Row> = {}): Row => ({
  id,
  endsAt: '2026-12-10T09:00:00Z',
  answerStatus: 'SUBMITTED',
  gradePublishedAt: null,
  grade: { score: 80 },
  ...overrides,
});
const exam = (sittings: Row[]): Summary => ({
  id: 'e',
  resultsRelease: 'ON_PUBLICATION',
  resultsPublishedAt: null,
  sittings,
});

/** issue 12: what the "Publish results" button and its confirmation say. */
describe('publication counts', () => {
  it('counts drafts to publish, sent answers still ungraded and sittings without a grade', () => {
    const counts = publicationCounts(
      exam([
        row('a'),
        row('b', { grade: null }),
        row('c', { answerStatus: null, grade: null }),
        row('d', { gradePublishedAt: '2026-12-10T09:30:00Z' }),
      ]),
      NOW,
    );
    expect(counts).toEqual({ published: 1, drafts: 1, ungraded: 1, none: 2, ended: true });
  });

  it('is not over while one student still has extra time', () => {
    expect(publicationCounts(exam([row('a'), row('b', { endsAt: '2026-12-10T10:30:00Z' })]), NOW).ended).toBeFalse();
  });
});
