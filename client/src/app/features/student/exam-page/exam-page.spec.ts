import { computed, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Session } from '../../../core/auth/session';
import { I18n } from '../../../core/i18n/i18n';
import { ServerClock } from '../../../core/graphql/server-clock';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { at, examFixture, MINUTE, NOW } from '../../../../testing/exam-fixtures';
import { FakeAnswerApi, FakeConfirmation, fileFixture, waitUntil } from '../../../../testing/fakes';
import { AnswerApi } from '../answers/answer-api';
import { ExamPage } from './exam-page';
import { examView, type StudentExam } from './exam-rules';
import { ExamSession, type PageNotice, type TicketQuestions } from './exam-session';

/** The page's session, with the exam and the clock set by each spec; actions are recorded. */
class FakeExamSession {
  readonly exam = signal<StudentExam | null>(null);
  readonly now = signal(NOW);
  readonly loading = signal(false);
  readonly loadError = signal(null);
  readonly notice = signal<PageNotice | null>(null);
  readonly questions = signal<TicketQuestions | null>(null);
  readonly questionsRequested = signal(false);
  readonly questionsBusy = signal(false);
  readonly choosing = signal(false);
  readonly view = computed(() => {
    const exam = this.exam();
    return exam
      ? examView(exam, this.now(), {
          questionsRequested: this.questionsRequested(),
          questionsLoaded: !!this.questions(),
        })
      : null;
  });
  readonly chosen: string[] = [];
  showQuestionsCalls = 0;
  open(): void {}
  async refresh(): Promise<void> {}
  /** what the server's answer to a choice does to the page */
  afterChoice = (): void => undefined;
  async chooseTicket(id: string): Promise<void> {
    this.chosen.push(id);
    this.afterChoice();
  }
  async showQuestions(): Promise<void> {
    this.showQuestionsCalls++;
    this.questionsRequested.set(true);
  }
}

describe('the exam page', () => {
  let fixture: ComponentFixture<ExamPage>;
  let session: FakeExamSession;
  let confirmation: FakeConfirmation;

  const el = () => fixture.nativeElement as HTMLElement;
  const text = () => el().textContent ?? '';
  const testId = (id: string) => el().querySelector<HTMLElement>(`[data-testid=${id}]`);
  const infoRows = () => {
    const info = testId('info')!;
    return Array.from(info.querySelectorAll('dt')).map((dt) => [
      dt.textContent!.trim(),
      (dt.nextElementSibling as HTMLElement).textContent!.trim(),
    ]);
  };

  async function show(exam: StudentExam, now = NOW): Promise<void> {
    session.exam.set(exam);
    session.now.set(now);
    await fixture.whenStable();
  }

  beforeEach(async () => {
    session = new FakeExamSession();
    confirmation = new FakeConfirmation();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Confirmation, useValue: confirmation },
        { provide: AnswerApi, useValue: new FakeAnswerApi() },
      ],
    });
    TestBed.overrideComponent(ExamPage, { set: { providers: [{ provide: ExamSession, useValue: session }] } });
    TestBed.inject(I18n).setLang('kk');
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    TestBed.inject(Session).start('token', { id: 'student-1', login: 'student01', fullName: 'Әлия', role: 'STUDENT' });
    fixture = TestBed.createComponent(ExamPage);
    fixture.componentRef.setInput('examId', 'exam-1');
    await fixture.whenStable();
  });

  afterEach(() => TestBed.inject(Session).end());

  it('keeps the countdown and the connection in a sticky bar, and warns near the end', async () => {
    await show(examFixture());
    const bar = testId('clockbar')!;
    expect(getComputedStyle(bar).position).toBe('sticky');
    expect(bar.querySelector('[role=timer]')).not.toBeNull();
    expect(bar.querySelector('[data-testid=connection]')).not.toBeNull();
    expect(testId('countdown')!.getAttribute('data-urgency')).toBe('calm');
    await show(examFixture(), NOW + 116 * MINUTE);
    expect(testId('countdown')!.getAttribute('data-urgency')).toBe('soon');
    expect(testId('countdown-warning')!.textContent).toContain('5 минуттан аз қалды');
  });

  it("shows the general information with the seed's labels (R2.2)", async () => {
    await show(examFixture());
    expect(infoRows()).toEqual([
      ['Оқу жылы', '2026-2027'],
      ['Академиялық кезең', '1-академиялық кезең'],
      ['Пән', 'Деректер қорлары (CSE-301)'],
      ['Оқытушы', 'Нұрлан Әбенов'],
      ['Өту мерзімі', '2026 ж. 29 қараша'],
      ['Басталу уақыты', '10:50'],
      ['Аяқталу уақыты', '13:00'],
    ]);
    expect(text()).toContain('Уақыт белдеуі: Asia/Almaty (GMT+5)');
  });

  it('shows the ticket number only from the start (R2.3)', async () => {
    await show(examFixture({ startsAt: at(10) }, { ticketNumber: 12 }));
    expect(testId('ticket-number')).toBeNull();
    expect(text()).toContain('Басталуына дейін');
    await show(examFixture({ startsAt: at(10) }, { ticketNumber: 12 }), NOW + 10 * MINUTE);
    expect(testId('ticket-number')!.textContent).toContain('№ 12');
    expect(text()).toContain('Аяқталуына дейін');
  });

  it('shows the task with its files on a task exam once started (R2.4, R6.1)', async () => {
    const task = { text: 'Design a campus network.', files: [fileFixture('plan.pdf')] };
    await show(examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task }));
    expect(testId('task')!.textContent).toContain('Design a campus network.');
    expect(testId('task')!.querySelector('a')!.textContent).toContain('plan.pdf');
    expect(testId('answers')).not.toBeNull(); // R7.1: a task given, the answers open
  });

  describe('issue 11: a draft sent for the student at the end', () => {
    const taskExam = {
      format: 'TASK' as const,
      ticketAssignment: null,
      ticketBoard: null,
      task: { text: 'Design a campus network.', files: [] },
    };
    const draft = (text: string) => ({
      __typename: 'Answer' as const,
      id: 'answer-1',
      text,
      status: 'DRAFT' as const,
      savedAt: at(-2),
      submittedAt: null,
      version: 1,
      files: [],
    });

    it('tells the student before the end that a saved draft will be sent, unless the exam does not', async () => {
      await show(examFixture(taskExam, { answerStatus: 'DRAFT', answer: draft('жоба мәтіні, сақталған') }));
      expect(testId('send-note')!.textContent).toContain('жүйе соңғы сақталған жауапты автоматты түрде жібереді');
      await show(
        examFixture({ ...taskExam, autoSendAtEnd: false }, { answerStatus: 'DRAFT', answer: draft('жоба мәтіні') }),
      );
      expect(testId('send-note')).toBeNull();
    });

    it('after the end says the draft is being sent, or that it was too short to send', async () => {
      const ended = NOW + 121 * MINUTE;
      await show(examFixture(taskExam, { answerStatus: 'DRAFT', answer: draft('жоба мәтіні, сақталған') }), ended);
      expect(testId('ended-unsent')!.textContent).toContain(
        'жүйе соңғы сақталған жауабыңызды қазір автоматты түрде жібереді',
      );
      await show(
        examFixture(taskExam, { answerStatus: 'DRAFT', draftAfterEnd: 'TOO_SHORT', answer: draft('') }),
        ended,
      );
      expect(testId('ended-unsent')!.textContent).toContain('жоба жіберілмеді');
    });

    it('marks an answer the server sent at the end', async () => {
      const sent = { ...draft('жоба мәтіні, сақталған'), status: 'SUBMITTED' as const, submittedAt: at(120) };
      await show(
        examFixture(taskExam, {
          answerStatus: 'SUBMITTED',
          submittedAt: at(120),
          answerSendMode: 'AUTOMATIC',
          answer: sent,
        }),
        NOW + 122 * MINUTE,
      );
      expect(testId('send-note')!.textContent).toContain('жүйе сақталған жауабыңызды автоматты түрде жіберді: ');
    });
  });

  it('shows the grade with its letter only once given (R2.5)', async () => {
    await show(examFixture());
    expect(testId('grade')).toBeNull();
    const grade = { score: 91, letter: 'A-', gpa: 3.67, comment: 'Жақсы жұмыс.', gradedAt: at(-1) };
    await show(examFixture({}, { grade }));
    expect(testId('grade')!.textContent).toContain('91 балл — A- (3,67)');
    expect(testId('grade')!.textContent).toContain('Жақсы жұмыс.');
  });

  it('shows the platform block only when set, with the link and copy buttons (R2.6, R3.1)', async () => {
    await show(examFixture());
    expect(testId('platform')).toBeNull();
    await show(
      examFixture({ platform: { name: 'Zoom', url: 'https://zoom.us/j/1', login: '123 456', password: 'exam2026' } }),
    );
    const link = testId('platform')!.querySelector<HTMLAnchorElement>('a')!;
    expect(link.href).toBe('https://zoom.us/j/1');
    expect(link.textContent).toContain('Конференцияға өту: Zoom');
    expect(testId('platform')!.textContent).toContain('123 456');
    expect(testId('platform')!.textContent).toContain('Логинді көшіру');
    expect(testId('platform')!.textContent).toContain('Құпия сөзді көшіру');
  });

  it('shows the board while the student may choose, and chooses only after confirming (R4.1, R4.3)', async () => {
    await show(examFixture());
    expect(testId('ticket-board')).not.toBeNull();
    confirmation.answer = false;
    testId('ticket-board')!.querySelector<HTMLButtonElement>('button.free')!.click();
    await fixture.whenStable();
    expect(confirmation.asked.length).toBe(1);
    expect(session.chosen).toEqual([]);
    confirmation.answer = true;
    testId('ticket-board')!.querySelector<HTMLButtonElement>('button.free')!.click();
    await fixture.whenStable();
    expect(session.chosen).toEqual(['tile-a']);
  });

  it('takes focus from the vanished board to the questions step, then to the questions once they show', async () => {
    await show(examFixture());
    session.afterChoice = () => session.exam.set(examFixture({ ticketBoard: null }, { ticketNumber: 7 }));
    const tile = testId('ticket-board')!.querySelector<HTMLButtonElement>('button.free')!;
    tile.focus();
    tile.click();
    await waitUntil(() => document.activeElement?.id === 'questions-heading');
    expect(document.activeElement!.textContent).toContain('Билет бойынша сұрақтар');

    testId('show-questions')!.focus(); // pressed: the questions come (here, released meanwhile)
    session.questions.set({
      __typename: 'TicketQuestions',
      ticketNumber: 7,
      questions: '1. What is 3NF?',
      viewedAt: at(0),
      files: [],
    });
    session.questionsRequested.set(true);
    session.exam.set(
      examFixture({ ticketBoard: null }, { ticketNumber: 7, questionsReleasedAt: at(-1), questionsViewedAt: at(0) }),
    );
    await waitUntil(() => document.activeElement?.id === 'questions-title');
  });

  it('leaves focus alone when the page opens with the questions already shown', async () => {
    session.questions.set({
      __typename: 'TicketQuestions',
      ticketNumber: 5,
      questions: 'Q',
      viewedAt: at(-1),
      files: [],
    });
    await show(
      examFixture({ ticketBoard: null }, { ticketNumber: 5, questionsReleasedAt: at(-2), questionsViewedAt: at(-1) }),
    );
    await fixture.whenStable();
    expect(document.activeElement?.id).not.toBe('questions-title');
  });

  it('explains instead of the board before the start, without tickets, or when tickets are given', async () => {
    await show(examFixture({ startsAt: at(5), ticketBoard: null }));
    expect(testId('board-state')!.textContent).toContain('Билеттер емтихан басталған кезде ашылады.');
    await show(examFixture({ ticketBoard: null }));
    expect(testId('board-state')!.textContent).toContain('Қызметкер билеттерді әлі енгізген жоқ.');
    await show(examFixture({ ticketAssignment: 'STAFF', ticketBoard: null }));
    expect(testId('board-state')!.textContent).toContain('Билетті қызметкер береді.');
  });

  it('closes the board and offers «Билет бойынша сұрақтарды көрсету» once a ticket is held (R4.4, R5.1)', async () => {
    await show(examFixture({ ticketBoard: null }, { ticketNumber: 5 }));
    expect(testId('ticket-board')).toBeNull();
    expect(testId('board-state')).toBeNull();
    expect(testId('show-questions')!.textContent).toContain('Билет бойынша сұрақтарды көрсету');
    expect(testId('answers')).toBeNull();
  });

  it('says «Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ» after pressing while nothing is released (R5.2)', async () => {
    await show(examFixture({ ticketBoard: null }, { ticketNumber: 5 }));
    expect(testId('questions-pending')).toBeNull();
    testId('show-questions')!.click();
    await fixture.whenStable();
    expect(session.showQuestionsCalls).toBe(1);
    expect(testId('questions-pending')!.textContent).toContain('Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ');
  });

  it('shows the questions with their files as links, then the answers block (R5.3, R5.4, R7.1)', async () => {
    session.questions.set({
      __typename: 'TicketQuestions',
      ticketNumber: 5,
      questions: '1. What is 3NF?',
      viewedAt: at(-1),
      files: [fileFixture('schema.png')],
    });
    await show(
      examFixture({ ticketBoard: null }, { ticketNumber: 5, questionsReleasedAt: at(-2), questionsViewedAt: at(-1) }),
    );
    expect(testId('show-questions')).toBeNull();
    expect(testId('questions')!.textContent).toContain('1. What is 3NF?');
    expect(testId('questions')!.querySelector('a')!.textContent).toContain('schema.png');
    expect(testId('answers')).not.toBeNull();
  });

  it('shows the recording link only when published (R8.1)', async () => {
    await show(examFixture());
    expect(testId('recording')).toBeNull();
    await show(examFixture({ recording: { url: 'https://video.example/r', visibleToStudents: true } }));
    expect(testId('recording')!.querySelector('a')!.getAttribute('href')).toBe('https://video.example/r');
    expect(testId('recording')!.textContent).toContain('Емтиханның бейнежазбасы');
  });

  it('follows the language at runtime', async () => {
    await show(examFixture());
    TestBed.inject(I18n).setLang('en');
    await fixture.whenStable();
    expect(infoRows()[0]).toEqual(['Academic year', '2026-2027']);
    expect(infoRows()[4]).toEqual(['Date', '29 November 2026']);
    TestBed.inject(I18n).setLang('ru');
    await fixture.whenStable();
    expect(infoRows()[6][0]).toBe('Время окончания');
    TestBed.inject(I18n).setLang('kk');
  });
});

describe('the exam page with the real confirmation', () => {
  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
    TestBed.inject(Session).end();
  });

  it('opens one confirmation for a double click on a tile, and keeps it open for the answer', async () => {
    const session = new FakeExamSession();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AnswerApi, useValue: new FakeAnswerApi() }],
    });
    TestBed.overrideComponent(ExamPage, { set: { providers: [{ provide: ExamSession, useValue: session }] } });
    TestBed.inject(I18n).setLang('kk');
    TestBed.inject(Session).start('token', { id: 'student-1', login: 'student01', fullName: 'Әлия', role: 'STUDENT' });
    const fixture = TestBed.createComponent(ExamPage);
    fixture.componentRef.setInput('examId', 'exam-1');
    session.exam.set(examFixture());
    await fixture.whenStable();

    const tile = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('button.tile.free')!;
    const click = (target: Element, detail: number) =>
      target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail }));
    click(tile, 1);
    await waitUntil(() => document.querySelectorAll('app-confirm-dialog').length === 1);
    // the double click's second half: on the tile when the dialog has not covered it yet, else on the backdrop
    click(tile, 2);
    click(document.querySelector('.cdk-overlay-backdrop')!, 2);
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.querySelectorAll('app-confirm-dialog').length).withContext('one question, still open').toBe(1);

    click(document.querySelector('app-confirm-dialog button.confirm')!, 1);
    await waitUntil(() => session.chosen.length === 1);
    expect(session.chosen).toEqual(['tile-a']);
  });
});
