import { GraphQLRefusal } from './support/api';
import { expectButton, openStudent, screenshot, world } from './support/browser';
import { E2E_SEND_GRACE_MS } from './support/server';

/**
 * R7.5 at the edge: after the end time the page stops sending, and a send that reaches the server after the grace
 * (SEND_GRACE_MS) says so. These exams do not send drafts at the end (auto-send.e2e.ts tries that and the grace).
 */
describe('the end time', () => {
  it('says clearly that an answer sent after the end did not land', async () => {
    const student = await openStudent('student07');
    try {
      const now = Date.now();
      const endsAt = now + 40_000;
      const examId = await world.api.createTaskExam(
        world.staff.token,
        [student.student.user.id],
        new Date(now - 60_000),
        new Date(endsAt),
        { autoSendAtEnd: false },
      );
      // the network holds the send until the end time and its grace have passed, as a very slow connection would
      await student.page.route('**/graphql', async (route) => {
        if (route.request().postData()?.includes('SubmitAnswer')) {
          const arrival = endsAt + E2E_SEND_GRACE_MS + 1500;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, arrival - Date.now())));
        }
        await route.continue();
      });
      await student.page.goto(`/attestation/${examId}`);
      await student.page.getByTestId('answer-text').fill('An answer written in good time, sent too late.');
      await expectButton(student.page, 'send', 'enabled');
      // saved while open, so no autosave meets the end first (its refusal would make the page re-read and lock)
      await student.page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();

      // sent before the end, reaching the server after it
      expect(Date.now()).toBeLessThan(endsAt);
      await student.page.getByTestId('send').click();
      await student.page.getByRole('alertdialog').getByRole('button', { name: 'Жіберу' }).click();
      await student.page
        .getByTestId('send-error')
        .filter({ hasText: 'Жауап жіберілмеді. Емтихан уақыты аяқталды.' })
        .waitFor({ timeout: 60_000 });
      // the page shows the end and keeps the text, read-only
      await student.page.getByTestId('ended-unsent').waitFor();
      await expectButton(student.page, 'send', 'disabled');
      expect(await student.page.getByTestId('answer-text').inputValue()).toBe(
        'An answer written in good time, sent too late.',
      );
      await screenshot(student.page, '50-sent-too-late-kk');
      expect((await world.api.myAnswer(student.student.token, examId))?.status ?? null).not.toBe('SUBMITTED');
    } finally {
      await student.close();
    }
  });

  it('disables «Жауапты жіберу» by itself when the countdown reaches the end, and the server refuses too', async () => {
    const student = await openStudent('student08');
    try {
      const now = Date.now();
      const examId = await world.api.createTaskExam(
        world.staff.token,
        [student.student.user.id],
        new Date(now - 60_000),
        new Date(now + 20_000),
        { autoSendAtEnd: false },
      );
      await student.page.goto(`/attestation/${examId}`);
      await student.page.getByTestId('answer-text').fill('Ten or more characters, typed just before the end.');
      await expectButton(student.page, 'send', 'enabled');
      await student.page.getByTestId('ended-unsent').waitFor({ timeout: 30_000 });
      await expectButton(student.page, 'send', 'disabled');
      await expectButton(student.page, 'save', 'disabled');
      await student.page.getByText('Емтихан уақыты аяқталды').first().waitFor();
      await screenshot(student.page, '51-ended-kk');
      // past the grace a Send pressed before the end could still be on its way
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 20_000 + E2E_SEND_GRACE_MS - Date.now())));

      const refusal = await world.api
        .call(
          student.student.token,
          'mutation($e:ID!){ submitAnswer(examId:$e, text:"Too late, straight to the API.") { id } }',
          { e: examId },
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refusal instanceof GraphQLRefusal ? refusal.code : refusal).toBe('EXAM_ENDED');
    } finally {
      await student.close();
    }
  });
});
