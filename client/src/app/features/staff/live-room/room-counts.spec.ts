import { TestBed } from '@angular/core/testing';
import { I18n } from '../../../core/i18n/i18n';
import { at } from '../../../../testing/exam-fixtures';
import { roomSitting } from '../../../../testing/room-fixtures';
import { RoomCounts, roomTally } from './room-counts';

const ROWS = [
  roomSitting('s1', 'Әлия', { online: true, ticketNumber: 4, questionsViewedAt: at(-2) }),
  roomSitting('s2', 'Арман', { online: true, ticketNumber: 7 }),
  roomSitting('s3', 'Дана', {
    ticketNumber: 9,
    questionsViewedAt: at(-20),
    answerStatus: 'SUBMITTED',
    grade: { score: 90, letter: 'A-', gpa: 3.67 },
  }),
  roomSitting('s4', 'Ерлан', { answerStatus: 'DRAFT' }),
];

describe("the live room's counts", () => {
  it('counts online, holding a ticket, viewed, sent and graded; a draft is not sent', () => {
    expect(roomTally(ROWS)).toEqual({ enrolled: 4, online: 2, withTicket: 3, viewed: 2, sent: 1, graded: 1 });
    expect(roomTally([])).toEqual({ enrolled: 0, online: 0, withTicket: 0, viewed: 0, sent: 0, graded: 0 });
  });

  async function render(format: 'TICKETS' | 'TASK') {
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(RoomCounts);
    fixture.componentRef.setInput('sittings', ROWS);
    fixture.componentRef.setInput('format', format);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const text = (node: Element | null) => node!.textContent!.replace(/\s+/g, ' ').trim();
    return Array.from(el.querySelectorAll<HTMLElement>('[data-count]')).map((c) => [
      c.dataset['count'],
      `${text(c.querySelector('dt'))}: ${text(c.querySelector('dd'))}`,
    ]);
  }

  it('shows each count of how many are enrolled, in Kazakh', async () => {
    expect(await render('TICKETS')).toEqual([
      ['online', 'Желіде: 2 / 4'],
      ['ticket', 'Билет алған: 3 / 4'],
      ['viewed', 'Сұрақтарды көрген: 2 / 4'],
      ['sent', 'Жауап жіберген: 1 / 4'],
      ['graded', 'Бағаланған: 1 / 4'],
    ]);
  });

  it('leaves out the ticket counts at an exam held with a task', async () => {
    expect((await render('TASK')).map(([key]) => key)).toEqual(['online', 'sent', 'graded']);
  });
});
