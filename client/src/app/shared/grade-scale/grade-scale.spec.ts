import { GRADE_SCALE, gradeFor, parseScore } from './grade-scale';

describe("the grade scale (the server's table)", () => {
  it('covers every score from 0 to 100 exactly once', () => {
    for (let score = 0; score <= 100; score++) {
      expect(GRADE_SCALE.filter((b) => score >= b.min && score <= b.max).length)
        .withContext(String(score))
        .toBe(1);
    }
  });

  it('gives the letter and GPA points of the credit system', () => {
    expect(gradeFor(100)).toEqual(jasmine.objectContaining({ letter: 'A', gpa: 4 }));
    expect(gradeFor(88)).toEqual(jasmine.objectContaining({ letter: 'B+', gpa: 3.33 }));
    expect(gradeFor(50)).toEqual(jasmine.objectContaining({ letter: 'D', gpa: 1 }));
    expect(gradeFor(49)).toEqual(jasmine.objectContaining({ letter: 'FX', gpa: 0.5 }));
    expect(gradeFor(0)).toEqual(jasmine.objectContaining({ letter: 'F', gpa: 0 }));
    expect(gradeFor(101)).toBeNull();
    expect(gradeFor(null)).toBeNull();
  });

  it('reads only whole numbers from 0 to 100 as scores', () => {
    expect(parseScore(' 88 ')).toBe(88);
    expect(parseScore('0')).toBe(0);
    expect(parseScore('100')).toBe(100);
    for (const typed of ['', '101', '-1', '8.5', '8,5', 'abc', '1e2', null])
      expect(parseScore(typed)).withContext(String(typed)).toBeNull();
  });
});
