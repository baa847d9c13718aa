import { openStudent, screenshot, type StudentPage, world } from './support/browser';

/** RANDOM tickets (drawn on entering) and a release that happens while the student is offline. */
describe('a RANDOM-ticket exam', () => {
  let examId = '';
  let erlan: StudentPage; // student05

  beforeAll(async () => {
    examId = (await world.api.examByCode(world.staff.token, 'CSE-305')).id;
    erlan = await openStudent('student05', { cuttableSocket: true });
    await erlan.page.goto(`/attestation/${examId}`);
  });

  afterAll(async () => {
    await erlan?.close();
  });

  it('draws the ticket on entering: the number shows, no board', async () => {
    const { page } = erlan;
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-board').count()).toBe(0);
    await page.getByRole('button', { name: 'Билет бойынша сұрақтарды көрсету' }).click();
    // the block itself: the live region announces the same words for screen readers
    await page
      .getByTestId('questions-pending')
      .filter({ hasText: 'Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ' })
      .waitFor();
  });

  it('shows the questions after reconnecting when they were released while offline', async () => {
    const { page } = erlan;
    await erlan.cut();
    await page.getByTestId('connection').filter({ hasText: 'Байланыс үзілді' }).waitFor({ timeout: 15_000 });
    await world.api.releaseQuestions(world.staff.token, examId, [erlan.student.user.id]);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('questions').count()).toBe(0); // nothing can arrive while offline

    await erlan.restore();
    await page.getByTestId('questions').waitFor({ timeout: 20_000 });
    await page.getByTestId('answers').waitFor();
    await screenshot(page, '40-random-ticket-questions-after-reconnect-kk');
  });
});
