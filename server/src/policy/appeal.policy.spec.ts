import { Role } from '../modules/users/user.entity';
import { canDecideAppeal, canReviewAppeal, canSeeAppeal, isOnCommission } from './appeal.policy';

describe('the appeal policy', () => {
  const appeal = { studentId: 'st1', exam: { teacher: { id: 't1' } }, commissionIds: ['t2'] };
  const people = {
    author: { id: 'st1', role: Role.STUDENT },
    otherStudent: { id: 'st2', role: Role.STUDENT },
    examTeacher: { id: 't1', role: Role.TEACHER },
    member: { id: 't2', role: Role.TEACHER },
    otherTeacher: { id: 't3', role: Role.TEACHER },
    staff: { id: 'sf', role: Role.STAFF },
  };
  // [who, sees, reviews, decides]
  const table: [keyof typeof people | 'nobody', boolean, boolean, boolean][] = [
    ['author', true, false, false],
    ['otherStudent', false, false, false],
    ['examTeacher', true, true, false],
    ['member', true, true, true],
    ['otherTeacher', false, false, false],
    ['staff', true, true, true],
    ['nobody', false, false, false],
  ];
  for (const [who, sees, reviews, decides] of table) {
    it(`${who}: sees ${sees}, reviews ${reviews}, decides ${decides}`, () => {
      const user = who === 'nobody' ? null : people[who];
      expect(canSeeAppeal(user, appeal)).toBe(sees);
      expect(canReviewAppeal(user, appeal)).toBe(reviews);
      expect(canDecideAppeal(user, appeal)).toBe(decides);
    });
  }

  it('counts only teachers as commission members (a student id in the list decides nothing)', () => {
    expect(isOnCommission(people.author, { commissionIds: ['st1'] })).toBeFalse();
    expect(isOnCommission(people.member, { commissionIds: ['t2'] })).toBeTrue();
  });
});
