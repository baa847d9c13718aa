import { at } from '../../../../testing/exam-fixtures';
import { roomSitting } from '../../../../testing/room-fixtures';
import { DEFAULT_ROOM_VIEW, filterChoices, roomRows, roomViewFrom, roomViewParams, sortedBy } from './room-view';

const ROWS = [
  roomSitting('s1', 'Ерлан', { online: true, onlineSince: at(-9), enteredAt: at(-9), ticketNumber: 7 }),
  roomSitting('s2', 'Әлия', {
    enteredAt: at(-20),
    lastSeenAt: at(-2),
    ticketNumber: 3,
    questionsReleasedAt: at(-15),
    questionsViewedAt: at(-14),
    answerStatus: 'DRAFT',
    answerSavedAt: at(-3),
  }),
  roomSitting('s3', 'Арман', {
    online: true,
    onlineSince: at(-4),
    enteredAt: at(-30),
    ticketNumber: 1,
    questionsReleasedAt: at(-25),
    questionsViewedAt: at(-24),
    answerStatus: 'SUBMITTED',
    answerSavedAt: at(-6),
    submittedAt: at(-5),
    grade: { score: 88, letter: 'B+', gpa: 3.33 },
  }),
  roomSitting('s4', 'Дана'),
  roomSitting('s5', 'Бауыржан', { enteredAt: at(-12), lastSeenAt: at(-10), ticketNumber: 2 }),
];
const names = (view: Partial<typeof DEFAULT_ROOM_VIEW>) =>
  roomRows(ROWS, { ...DEFAULT_ROOM_VIEW, ...view }, 'kk-KZ').map((r) => r.student.fullName);

describe("the live room's view", () => {
  it('counts each state the staff filter by; a draft counts until it is sent', () => {
    expect(filterChoices(ROWS, 'TICKETS').map((c) => [c.key, c.count])).toEqual([
      ['all', 5],
      ['online', 2],
      ['offline', 2],
      ['notEntered', 1],
      ['waiting', 2],
      ['viewed', 2],
      ['draft', 1],
      ['sent', 1],
    ]);
    expect(filterChoices(ROWS, 'TASK').map((c) => c.key)).toEqual([
      'all',
      'online',
      'offline',
      'notEntered',
      'draft',
      'sent',
    ]);
  });

  it('shows only the rows of the chosen state', () => {
    expect(names({ filter: 'waiting' })).toEqual(['Бауыржан', 'Ерлан']);
    expect(names({ filter: 'offline' })).toEqual(['Әлия', 'Бауыржан']);
    expect(names({ filter: 'draft' })).toEqual(['Әлия']);
    expect(names({ filter: 'notEntered' })).toEqual(['Дана']);
  });

  it('sorts by name in the alphabet of the language, both ways', () => {
    expect(names({})).toEqual(['Арман', 'Әлия', 'Бауыржан', 'Дана', 'Ерлан']);
    expect(names({ direction: 'desc' })).toEqual(['Ерлан', 'Дана', 'Бауыржан', 'Әлия', 'Арман']);
  });

  it('sorts by presence: online first, then the latest seen; never entered last either way', () => {
    expect(names({ sort: 'presence', direction: 'desc' })).toEqual(['Ерлан', 'Арман', 'Әлия', 'Бауыржан', 'Дана']);
    expect(names({ sort: 'presence', direction: 'asc' })).toEqual(['Бауыржан', 'Әлия', 'Арман', 'Ерлан', 'Дана']);
  });

  it('sorts by the answer, the ticket and the grade; rows with nothing come last', () => {
    expect(names({ sort: 'answer', direction: 'desc' })).toEqual(['Арман', 'Әлия', 'Бауыржан', 'Дана', 'Ерлан']);
    expect(names({ sort: 'ticket', direction: 'asc' })).toEqual(['Арман', 'Бауыржан', 'Әлия', 'Ерлан', 'Дана']);
    expect(names({ sort: 'grade', direction: 'desc' })[0]).toBe('Арман');
  });

  it('reads the view from the address and writes it back, leaving the defaults out', () => {
    const view = roomViewFrom({ state: 'draft', sort: 'presence', dir: 'asc' }, 'TICKETS');
    expect(view).toEqual({ filter: 'draft', sort: 'presence', direction: 'asc' });
    expect(roomViewParams(view)).toEqual({ state: 'draft', sort: 'presence', dir: 'asc' });
    expect(roomViewParams(DEFAULT_ROOM_VIEW)).toEqual({ state: null, sort: null, dir: null });
    expect(roomViewFrom({ state: 'nonsense', sort: 'x' }, 'TICKETS')).toEqual(DEFAULT_ROOM_VIEW);
    expect(roomViewFrom({ state: 'waiting', sort: 'ticket' }, 'TASK')).toEqual(DEFAULT_ROOM_VIEW);
  });

  it('turns a sorted column the other way on a second click, and starts a new column in its own direction', () => {
    const byPresence = sortedBy(DEFAULT_ROOM_VIEW, 'presence');
    expect(byPresence).toEqual({ filter: 'all', sort: 'presence', direction: 'desc' });
    expect(sortedBy(byPresence, 'presence').direction).toBe('asc');
    expect(sortedBy(DEFAULT_ROOM_VIEW, 'name').direction).toBe('desc');
  });
});
