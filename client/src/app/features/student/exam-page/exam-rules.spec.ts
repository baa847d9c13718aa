import { at, examFixture, MINUTE, NO_ACTIONS, NOW } from '../../../../testing/exam-fixtures';
import { canSave, canSend, examView } from './exam-rules';

describe('exam page rules', () => {
  describe('the information block (R2.2–R2.6)', () => {
    it('shows the ticket number only once the exam has started (R2.3)', () => {
      const exam = examFixture({ startsAt: at(5) }, { ticketNumber: 7 });
      expect(examView(exam, NOW, NO_ACTIONS).ticketNumber).toBeNull();
      expect(examView(exam, NOW + 5 * MINUTE, NO_ACTIONS).ticketNumber).toBe(7);
    });

    it('shows the task of a task exam only from the start (R2.4, R6.1)', () => {
      const task = { text: 'Design a network.', files: [] };
      expect(
        examView(
          examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task, startsAt: at(1) }),
          NOW,
          NO_ACTIONS,
        ).showTask,
      ).toBeFalse();
      expect(
        examView(examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task }), NOW, NO_ACTIONS)
          .showTask,
      ).toBeTrue();
      expect(
        examView(
          examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task: null }),
          NOW,
          NO_ACTIONS,
        ).showTask,
      ).toBeFalse();
    });

    it('never shows a task on a ticket exam', () => {
      const task = { text: 'x', files: [] };
      expect(examView(examFixture({ task }), NOW, NO_ACTIONS).showTask).toBeFalse();
    });

    it('shows the grade only once given (R2.5)', () => {
      expect(examView(examFixture(), NOW, NO_ACTIONS).showGrade).toBeFalse();
      const grade = { score: 91, letter: 'A-', gpa: 3.67, comment: null, gradedAt: at(-1) };
      expect(examView(examFixture({}, { grade }), NOW, NO_ACTIONS).showGrade).toBeTrue();
    });

    it('shows the platform block only when staff set a platform (R2.6)', () => {
      expect(examView(examFixture(), NOW, NO_ACTIONS).showPlatform).toBeFalse();
      const platform = {
        __typename: 'Platform' as const,
        name: 'Zoom',
        url: 'https://zoom.us/j/1',
        login: 'a',
        password: 'b',
      };
      expect(examView(examFixture({ platform }), NOW, NO_ACTIONS).showPlatform).toBeTrue();
    });

    it('shows the recording only when the server gives it (R8.1)', () => {
      expect(examView(examFixture(), NOW, NO_ACTIONS).showRecording).toBeFalse();
      const recording = { __typename: 'Recording' as const, url: 'https://video.example/1', visibleToStudents: true };
      expect(examView(examFixture({ recording }), NOW, NO_ACTIONS).showRecording).toBeTrue();
    });

    it("counts to the student's own end, extra time included", () => {
      const view = examView(examFixture({ endsAt: at(60) }, { endsAt: at(90) }), NOW + 70 * MINUTE, NO_ACTIONS);
      expect(view.ended).toBeFalse();
      expect(view.endsAt).toBe(Date.parse(at(90)));
    });
  });

  describe('the ticket board (R4.1–R4.4)', () => {
    it('is shown while a choosing student has no ticket and tickets exist', () => {
      expect(examView(examFixture(), NOW, NO_ACTIONS).board).toBe('choose');
    });

    it('waits for the start before the tiles open', () => {
      expect(examView(examFixture({ startsAt: at(30), ticketBoard: null }), NOW, NO_ACTIONS).board).toBe(
        'opensAtStart',
      );
    });

    it('says so when staff have not entered tickets', () => {
      expect(examView(examFixture({ ticketBoard: null }), NOW, NO_ACTIONS).board).toBe('noTickets');
      expect(examView(examFixture({ ticketBoard: [] }), NOW, NO_ACTIONS).board).toBe('noTickets');
    });

    it('closes once the student holds a ticket (R4.4)', () => {
      expect(examView(examFixture({}, { ticketNumber: 3 }), NOW, NO_ACTIONS).board).toBe('none');
    });

    it('is not shown when the system or staff give the ticket', () => {
      expect(examView(examFixture({ ticketAssignment: 'RANDOM', ticketBoard: null }), NOW, NO_ACTIONS).board).toBe(
        'byRandom',
      );
      expect(examView(examFixture({ ticketAssignment: 'STAFF', ticketBoard: null }), NOW, NO_ACTIONS).board).toBe(
        'byStaff',
      );
    });

    it('is not shown on a task exam or after the end', () => {
      expect(
        examView(examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null }), NOW, NO_ACTIONS).board,
      ).toBe('none');
      expect(examView(examFixture(), NOW + 200 * MINUTE, NO_ACTIONS).board).toBe('none');
    });
  });

  describe('the questions (R5.1–R5.3)', () => {
    it('offers «Билет бойынша сұрақтарды көрсету» once a ticket is held', () => {
      expect(examView(examFixture(), NOW, NO_ACTIONS).showQuestionsButton).toBeFalse();
      expect(examView(examFixture({}, { ticketNumber: 4 }), NOW, NO_ACTIONS).showQuestionsButton).toBeTrue();
    });

    it('shows the wait message only after pressing, while nothing is released (R5.2)', () => {
      const exam = examFixture({}, { ticketNumber: 4 });
      expect(examView(exam, NOW, NO_ACTIONS).showQuestionsPending).toBeFalse();
      expect(examView(exam, NOW, { questionsRequested: true, questionsLoaded: false }).showQuestionsPending).toBeTrue();
      const released = examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1) });
      expect(
        examView(released, NOW, { questionsRequested: true, questionsLoaded: false }).showQuestionsPending,
      ).toBeFalse();
    });

    it('hints that the questions arrived when released before the student pressed', () => {
      const released = examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1) });
      expect(examView(released, NOW, NO_ACTIONS).questionsReleasedHint).toBeTrue();
    });

    it('replaces the button with the questions once they came back (R5.3)', () => {
      const view = examView(examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1) }), NOW, {
        questionsRequested: true,
        questionsLoaded: true,
      });
      expect(view.showQuestions).toBeTrue();
      expect(view.showQuestionsButton).toBeFalse();
    });
  });

  describe('the «Жауаптар» block (R7.1)', () => {
    it('opens on a ticket exam only after the questions were seen', () => {
      expect(
        examView(examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1) }), NOW, NO_ACTIONS).showAnswers,
      ).toBeFalse();
      expect(
        examView(
          examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1), questionsViewedAt: at(-1) }),
          NOW,
          NO_ACTIONS,
        ).showAnswers,
      ).toBeTrue();
    });

    it('opens as soon as the server has shown this page the questions, before the page re-reads its sitting', () => {
      expect(
        examView(examFixture({}, { ticketNumber: 4, questionsReleasedAt: at(-1) }), NOW, {
          ...NO_ACTIONS,
          questionsLoaded: true,
        }).showAnswers,
      ).toBeTrue();
    });

    it('opens on a task exam when the task is given and the exam has started', () => {
      const task = { text: 'x', files: [] };
      expect(
        examView(examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task }), NOW, NO_ACTIONS)
          .showAnswers,
      ).toBeTrue();
      expect(
        examView(
          examFixture({ format: 'TASK', ticketAssignment: null, ticketBoard: null, task, startsAt: at(1) }),
          NOW,
          NO_ACTIONS,
        ).showAnswers,
      ).toBeFalse();
    });

    it('locks after sending (R7.6) and at the end time', () => {
      const seen = { ticketNumber: 4, questionsReleasedAt: at(-1), questionsViewedAt: at(-1) };
      expect(examView(examFixture({}, seen), NOW, NO_ACTIONS).answerLock).toBeNull();
      expect(examView(examFixture({}, { ...seen, answerStatus: 'SUBMITTED' }), NOW, NO_ACTIONS).answerLock).toBe(
        'submitted',
      );
      expect(examView(examFixture({}, seen), NOW + 120 * MINUTE, NO_ACTIONS).answerLock).toBe('ended');
    });
  });

  describe('«Сақтау» and «Жауапты жіберу» (R7.4, R7.5)', () => {
    it("need ten characters not counting the surrounding spaces, or one file (the server's own rule, @rules)", () => {
      expect(canSave('123456789', 0, null)).toBeFalse();
      expect(canSave('   123456789    ', 0, null)).toBeFalse();
      expect(canSave('1234567890', 0, null)).toBeTrue();
      expect(canSend('', 1, null)).toBeTrue();
      // letters outside the BMP count once each, as on the server
      expect(canSend('😀😀😀😀😀', 0, null)).toBeFalse();
      expect(canSend('қазақ тілі', 0, null)).toBeTrue();
    });

    it('are enabled while the answer can change, and not after sending or the end', () => {
      expect(canSave('long enough text', 0, null)).toBeTrue();
      expect(canSend('long enough text', 0, null)).toBeTrue();
      expect(canSend('long enough text', 0, 'ended')).toBeFalse();
      expect(canSave('long enough text', 0, 'submitted')).toBeFalse();
      expect(canSend('short', 0, null)).toBeFalse();
      expect(canSend('short', 2, null)).toBeTrue();
    });
  });
});
