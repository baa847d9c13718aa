/**
 * Blind marking (issue 12) hides names from the teacher until the exam's results are published. An exam whose grades
 * reach the students one by one as they are saved (AT_ONCE) is never published as a whole, so blind marking needs
 * results released on publication. Shared by the server (createExam, updateExam) and the exam form.
 */

/** The two settings this rule reads; the values are those of the API's ResultsRelease enum. */
export interface GradingSettings {
  readonly blindMarking: boolean;
  readonly resultsRelease: 'AT_ONCE' | 'ON_PUBLICATION';
}

/** Whether blind marking and the results release fit together: blind marking only with ON_PUBLICATION. */
export const blindMarkingFits = (settings: GradingSettings): boolean =>
  !settings.blindMarking || settings.resultsRelease === 'ON_PUBLICATION';
