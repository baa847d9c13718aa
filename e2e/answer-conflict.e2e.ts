import { expectAccessible, openStudent, screenshot, type StudentPage, world } from './support/browser';

/**
 * Issue 11, "one answer, one truth": one student with the exam open in two browsers (a laptop and a phone). A save on
 * one reaches the other through mySittingChanged; a page with edits of its own shows both texts and the student
 * chooses, and the server ends up holding the chosen text.
 */
describe('one answer on two devices', () => {
  let laptop: StudentPage;
  let phone: StudentPage;
  let examId = '';
  /** the laptop's saves wait at its network until this is resolved (an autosave on a slow connection) */
  let holdSaves: Promise<void> | null = null;
  let saveHeld: () => void = () => undefined;

  const text = (page: StudentPage) => page.page.getByTestId('answer-text');
  const saved = (page: StudentPage) =>
    page.page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();

  beforeAll(async () => {
    laptop = await openStudent('student27');
    phone = await openStudent('student27'); // the same student, signed in on a second device
    await phone.page.setViewportSize({ width: 390, height: 844 });
    const now = Date.now();
    examId = await world.api.createTaskExam(
      world.staff.token,
      [laptop.student.user.id],
      new Date(now - 60_000),
      new Date(now + 30 * 60_000),
    );
    await laptop.page.route('**/graphql', async (route) => {
      if (holdSaves && route.request().postData()?.includes('SaveAnswer')) {
        saveHeld();
        await holdSaves;
      }
      await route.continue();
    });
    for (const device of [laptop, phone]) {
      await device.page.goto(`/attestation/${examId}`);
      await text(device).waitFor();
      // connected: the page hears its sitting's changes from now on
      await device.page.getByTestId('connection').filter({ hasText: 'Байланыс бар' }).waitFor({ timeout: 20_000 });
    }
  });

  afterAll(async () => {
    await laptop?.close();
    await phone?.close();
  });

  it('takes a text saved on the other device quietly when nothing here is unsaved', async () => {
    await text(laptop).fill('Started on the laptop: the three rules of the exam.');
    await saved(laptop);
    await phone.page.getByTestId('updated-elsewhere').waitFor();
    expect(await text(phone).inputValue()).toBe('Started on the laptop: the three rules of the exam.');
    expect(await phone.page.getByTestId('updated-elsewhere').innerText()).toContain(
      'Жауап басқа құрылғыда немесе бетте жаңартылды',
    );
    await screenshot(phone.page, '90-answer-updated-elsewhere-phone-kk');
  });

  it('shows both texts on the page with unsaved edits, and the server keeps the text the student chose', async () => {
    // the laptop goes on typing; its autosave is held on the way
    let released!: () => void;
    holdSaves = new Promise<void>((resolve) => (released = resolve));
    const held = new Promise<void>((resolve) => (saveHeld = resolve));
    const mine = 'Started on the laptop: the three rules of the exam, and a fourth written on the laptop.';
    await text(laptop).fill(mine);
    await held;

    // meanwhile the phone saves its own continuation
    const theirs = 'Started on the laptop: the three rules of the exam, continued on the phone.';
    await text(phone).fill(theirs);
    await phone.page.getByTestId('save').click();
    await saved(phone);

    // the laptop hears of it and shows both texts
    const conflict = laptop.page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('Жауап басқа құрылғыда немесе бетте өзгертілді');
    expect(await laptop.page.getByTestId('conflict-mine').innerText()).toBe(mine);
    expect(await laptop.page.getByTestId('conflict-theirs').innerText()).toBe(theirs);
    expect(await laptop.page.getByTestId('send').isDisabled()).toBeTrue();

    // the held autosave, made over the old version, is refused and changes nothing
    holdSaves = null;
    released();
    await laptop.page.getByTestId('sync-state').filter({ hasText: 'Серверге сақталмады' }).waitFor();
    expect((await world.api.myAnswer(laptop.student.token, examId))?.text).toBe(theirs);
    await conflict.waitFor();
    await screenshot(laptop.page, '91-answer-conflict-kk');
    await expectAccessible(laptop.page, 'answer conflict');

    // the student keeps the laptop's text: saved over the phone's version
    await laptop.page.getByTestId('keep-mine').click();
    await saved(laptop);
    expect(await conflict.count()).toBe(0);
    expect((await world.api.myAnswer(laptop.student.token, examId))?.text).toBe(mine);
    // and the phone, with nothing unsaved, follows
    await phone.page.waitForFunction(
      (expected) => document.querySelector<HTMLTextAreaElement>('[data-testid=answer-text]')?.value === expected,
      mine,
    );
    expect(await phone.page.getByTestId('conflict').count()).toBe(0);
  });
});
