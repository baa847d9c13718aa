import { at, MINUTE, NOW } from '../../../../testing/exam-fixtures';
import { currentPeriodId, currentYear, dayIn, examState } from './exam-state';

describe("an exam's state at a glance", () => {
  const exam = (
    sitting: Partial<{ endsAt: string; answerStatus: 'DRAFT' | 'SUBMITTED' | null; grade: unknown }> = {},
  ) => ({
    startsAt: at(0),
    endsAt: at(60),
    mySitting: { endsAt: at(60), answerStatus: null, grade: null, ...sitting },
  });

  it("is upcoming, open, then ended on the server's clock", () => {
    expect(examState(exam(), NOW - MINUTE)).toBe('upcoming');
    expect(examState(exam(), NOW)).toBe('open');
    expect(examState(exam(), NOW + 60 * MINUTE)).toBe('ended');
  });

  it("stays open through the student's extra time", () => {
    expect(examState(exam({ endsAt: at(90) }), NOW + 70 * MINUTE)).toBe('open');
  });

  it('is sent once the answer is sent, and graded once a grade is given', () => {
    expect(examState(exam({ answerStatus: 'SUBMITTED' }), NOW)).toBe('sent');
    expect(examState(exam({ answerStatus: 'SUBMITTED', grade: { score: 90 } }), NOW)).toBe('graded');
  });
});

describe('the filter defaults', () => {
  const years = [
    {
      id: 'y2',
      startsOn: '2026-09-01',
      endsOn: '2027-06-30',
      periods: [
        { id: 'p21', startsOn: '2026-09-01', endsOn: '2026-12-31' },
        { id: 'p22', startsOn: '2027-01-11', endsOn: '2027-06-30' },
      ],
    },
    {
      id: 'y1',
      startsOn: '2025-09-01',
      endsOn: '2026-06-30',
      periods: [{ id: 'p11', startsOn: '2025-09-01', endsOn: '2025-12-31' }],
    },
  ];

  it("take the academic year and period holding today, in the university's zone", () => {
    expect(dayIn('Asia/Almaty', Date.parse('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
    expect(currentYear(years, '2026-11-29')?.id).toBe('y2');
    expect(currentPeriodId(years[0], '2026-11-29')).toBe('p21');
  });

  it('fall back to the latest year and all periods between periods', () => {
    expect(currentYear(years, '2026-07-15')?.id).toBe('y2');
    expect(currentPeriodId(years[0], '2027-01-05')).toBe('');
  });
});
