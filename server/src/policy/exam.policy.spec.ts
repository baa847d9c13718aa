import { canManage, canSeeExam, canSeeRecording, canSeeTask } from './exam.policy';
import {
  after,
  before,
  during,
  exam,
  otherStudent,
  otherTeacher,
  ownTeacher,
  staff,
  student,
} from '../testing/policy-cast';

describe('exam policy', () => {
  describe('canManage: staff run every exam, a teacher their own', () => {
    const table = [
      ['staff', staff, true],
      ["the exam's teacher", ownTeacher, true],
      ['another teacher', otherTeacher, false],
      ['a student', student, false],
      ['no one signed in', null, false],
    ] as const;
    for (const [who, user, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canManage(user, exam)).toBe(expected));
    }
  });

  describe('canSeeExam: those who run it and the students enrolled at it', () => {
    const table = [
      ['staff, not enrolled', staff, false, true],
      ["the exam's teacher", ownTeacher, false, true],
      ['another teacher', otherTeacher, false, false],
      ['another teacher, even with a sitting', otherTeacher, true, false],
      ['an enrolled student', student, true, true],
      ['a student not enrolled', otherStudent, false, false],
      ['no one signed in', null, true, false],
    ] as const;
    for (const [who, user, enrolled, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canSeeExam(user, exam, enrolled)).toBe(expected));
    }
  });

  describe('canSeeTask (R2.4, R6.1): those who run the exam always, students from the start', () => {
    const table = [
      ['staff before the start', staff, before, true],
      ["the exam's teacher before the start", ownTeacher, before, true],
      ['a student before the start', student, before, false],
      ['a student at the start', student, during, true],
      ['a student after the end', student, after, true],
    ] as const;
    for (const [who, user, now, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canSeeTask(user, exam, now)).toBe(expected));
    }
  });

  describe('canSeeRecording (R8.1): students once it is made visible to them', () => {
    const table = [
      ['staff, hidden', staff, false, true],
      ["the exam's teacher, hidden", ownTeacher, false, true],
      ['another teacher, hidden', otherTeacher, false, false],
      ['a student, hidden', student, false, false],
      ['a student, visible', student, true, true],
    ] as const;
    for (const [who, user, recordingVisible, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canSeeRecording(user, { ...exam, recordingVisible })).toBe(expected));
    }
  });
});
