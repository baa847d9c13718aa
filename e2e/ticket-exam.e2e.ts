import {
  expectAccessible,
  expectButton,
  expectNoEnglishUi,
  openStudent,
  screenshot,
  type StudentPage,
  world,
} from './support/browser';

const PENDING = 'Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ';

/** The whole student flow on a ticket exam (student choice): R4, R5, R7 and a grade, with a live board and a live release. */
describe('a ticket exam, from the board to the grade', () => {
  let examId = '';
  let aliya: StudentPage; // student02: chooses with the keyboard, answers, sends
  let dana: StudentPage; //  student03: chooses first, with the mouse
  let miras: StudentPage; // student09: only watches the board

  beforeAll(async () => {
    examId = (await world.api.examByCode(world.staff.token, 'CSE-301')).id;
    aliya = await openStudent('student02', { cuttableSocket: true });
    dana = await openStudent('student03');
    miras = await openStudent('student09');
    for (const student of [aliya, dana, miras]) await student.page.goto(`/attestation/${examId}`);
    for (const student of [aliya, dana, miras]) await student.page.getByTestId('ticket-board').waitFor();
  });

  afterAll(async () => {
    await aliya?.close();
    await dana?.close();
    await miras?.close();
  });

  it('shows the information, the platform and the board with tiles that carry no numbers (R2, R3, R4.1, R4.2)', async () => {
    const { page } = aliya;
    const info = await page.getByTestId('info').innerText();
    for (const label of [
      'Оқу жылы',
      'Академиялық кезең',
      'Пән',
      'Оқытушы',
      'Өту мерзімі',
      'Басталу уақыты',
      'Аяқталу уақыты',
    ]) {
      expect(info).toContain(label);
    }
    expect(info).not.toContain('Билет'); // no ticket yet
    expect(await page.getByText('Уақыт белдеуі: Asia/Almaty').count()).toBe(1);
    await page
      .getByTestId('platform')
      .getByRole('link', { name: /Конференцияға өту: Zoom/ })
      .waitFor();
    await page.getByRole('button', { name: 'Логинді көшіру' }).click();
    await page.getByRole('button', { name: 'Көшірілді' }).waitFor();

    const tiles = page.locator('[data-testid=ticket-board] button.tile');
    expect(await tiles.count()).toBe(30);
    expect((await tiles.allInnerTexts()).join('').trim()).toBe(''); // no numbers on the tiles
    expect(await page.getByRole('button', { name: 'Бос билет' }).count()).toBe(30);
    await page.getByText('Бос: 30, алынған: 0').waitFor();
    await screenshot(page, '10-ticket-board-kk');
    await expectNoEnglishUi(page, 'ticket board');
    await expectAccessible(page, 'ticket board');
  });

  it("shows each student's choice on the others' boards at once, in a stable order (R4.2, R4.3)", async () => {
    const order = (student: StudentPage) =>
      student.page
        .locator('[data-testid=ticket-board] button.tile')
        .evaluateAll((b) => b.map((x) => x.getAttribute('data-ticket')));
    const before = await order(aliya);
    await dana.page.getByRole('button', { name: 'Бос билет' }).nth(3).click();
    await dana.page.getByRole('alertdialog').getByRole('button', { name: 'Билетті таңдау' }).click();
    await dana.page.getByTestId('ticket-number').waitFor();
    expect(await dana.page.getByTestId('ticket-board').count()).toBe(0);

    // the others' boards, without a reload: one tile striped and disabled, the order unchanged
    for (const other of [aliya, miras]) {
      await other.page.getByText('Бос: 29, алынған: 1').waitFor();
      const taken = other.page.getByRole('button', { name: 'Алынған билет' });
      expect(await taken.count()).toBe(1);
      expect(await taken.isDisabled()).toBeTrue();
    }
    expect(await order(aliya)).toEqual(before);
    await screenshot(aliya.page, '12-ticket-board-one-taken-kk');
  });

  it('chooses one ticket with the keyboard, after confirming, and closes the board (R4.3, R4.4)', async () => {
    const { page } = aliya;
    await page.getByRole('button', { name: 'Бос билет' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').getByText('Осы билетті таңдайсыз ба?').waitFor();
    // the dialog takes the focus once it has opened (on «Болдырмау», the safe choice)
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Болдырмау'));
    await screenshot(page, '11-ticket-confirm-kk');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-board').count()).toBe(0);
    await page.getByRole('button', { name: 'Билет бойынша сұрақтарды көрсету' }).waitFor();
    await miras.page.getByText('Бос: 28, алынған: 2').waitFor();
    expect(await miras.page.getByRole('button', { name: 'Алынған билет' }).count()).toBe(2);
  });

  it('waits for the questions and shows them the moment staff release them, without a reload (R5.2, R5.3)', async () => {
    const { page } = aliya;
    await page.getByRole('button', { name: 'Билет бойынша сұрақтарды көрсету' }).click();
    // by test id: the screen-reader announcer may say the same words at the same moment (strict mode)
    const pending = page.getByTestId('questions-pending');
    await pending.waitFor();
    expect(await pending.innerText()).toContain(PENDING);
    expect(await page.getByTestId('answers').count()).toBe(0);
    await screenshot(page, '13-questions-pending-kk');

    await world.api.attachToStudentsTicket(
      world.staff.token,
      examId,
      aliya.student.user.id,
      'ER-diagram.txt',
      'entities: student, exam',
    );
    await world.api.releaseQuestions(world.staff.token, examId, [aliya.student.user.id]);
    await page.getByTestId('questions').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('questions').innerText()).toMatch(/1\. .+\n?.*2\. /s);
    // R5.4: the ticket's file by name, as a link that downloads it
    const href = await page.getByTestId('questions').getByRole('link', { name: 'ER-diagram.txt' }).getAttribute('href');
    expect(await fetch(`${world.server.url}${href}`).then((r) => r.text())).toBe('entities: student, exam');
    await page.getByTestId('answers').waitFor();
    expect(await pending.count()).toBe(0);
    await screenshot(page, '14-questions-shown-kk');
  });

  it('autosaves the answer, keeps it across a reload, and counts its characters (R7.2, R7.4)', async () => {
    const { page } = aliya;
    const text = page.getByTestId('answer-text');
    await expectButton(page, 'save', 'disabled');
    await expectButton(page, 'send', 'disabled');
    await text.pressSequentially('Нормаль формалар');
    expect(await page.getByTestId('answer-count').innerText()).toContain('16 белгі');
    await expectButton(page, 'save', 'enabled');
    await expectButton(page, 'send', 'enabled');
    await page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor({ timeout: 10_000 });
    expect((await world.api.myAnswer(aliya.student.token, examId))?.text).toBe('Нормаль формалар');

    await text.pressSequentially(' — 3NF.');
    await page.reload(); // before the autosave: the browser's copy brings it back
    await page.getByTestId('answers').waitFor();
    expect(await page.getByTestId('answer-text').inputValue()).toBe('Нормаль формалар — 3NF.');
    await page.getByTestId('questions').waitFor(); // seen once: shown again by itself after the reload
    await page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor({ timeout: 10_000 });
    expect((await world.api.myAnswer(aliya.student.token, examId))?.text).toBe('Нормаль формалар — 3NF.');
  });

  it('keeps typing through a dropped connection and syncs when it is back', async () => {
    const { page } = aliya;
    await aliya.cut();
    await page.getByTestId('connection').filter({ hasText: 'Байланыс үзілді' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('answer-text').pressSequentially(' Офлайн жазылды.');
    await page.getByTestId('sync-state').filter({ hasText: 'Осы браузерде сақталды' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '15-offline-kk');
    const local = await page.evaluate(
      () => Object.entries(localStorage).find(([k]) => k.startsWith('attestation.answer.'))?.[1] ?? '',
    );
    expect(local).toContain('Офлайн жазылды.');

    await aliya.restore();
    await page.getByTestId('connection').filter({ hasText: 'Байланыс бар' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor({ timeout: 15_000 });
    expect((await world.api.myAnswer(aliya.student.token, examId))?.text).toBe(
      'Нормаль формалар — 3NF. Офлайн жазылды.',
    );
  });

  it('uploads several files with progress, refuses one too large, and deletes one (R7.2, R7.3)', async () => {
    const { page } = aliya;
    await page.getByTestId('file-input').setInputFiles([
      { name: 'schema.sql', mimeType: 'text/plain', buffer: Buffer.from('create table t (id int primary key);') },
      { name: 'sketch.txt', mimeType: 'text/plain', buffer: Buffer.from('A -> B') },
    ]);
    await page.getByRole('link', { name: 'schema.sql' }).waitFor();
    await page.getByRole('link', { name: 'sketch.txt' }).waitFor();

    // a slow line, so the per-file progress shows
    const cdp = await aliya.context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(700 * 1024, 7) }]);
    await page.getByTestId('upload').filter({ hasText: '«photo.jpg» жүктелуде' }).waitFor();
    await screenshot(page, '16-upload-progress-kk');
    await page.getByRole('link', { name: 'photo.jpg' }).waitFor({ timeout: 20_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(1536 * 1024, 1) }]);
    // refused by the page before sending, naming the server's limit (MAX_FILE_MB of the e2e server: 1)
    await page
      .getByText('«video.mp4» жүктелмеді. Файл 1 МБ-тан үлкен; кішірек файл жүктеңіз.')
      .waitFor({ timeout: 15_000 });
    await screenshot(page, '17-upload-too-large-kk');

    await page.getByRole('button', { name: '«sketch.txt» файлын өшіру' }).click();
    await page.getByRole('link', { name: 'sketch.txt' }).waitFor({ state: 'detached' });
    const answer = await world.api.myAnswer(aliya.student.token, examId);
    expect(answer?.files.map((f) => f.name).sort()).toEqual(['photo.jpg', 'schema.sql']);
    const download = await page.getByRole('link', { name: 'schema.sql' }).getAttribute('href');
    expect(await fetch(`${world.server.url}${download}`).then((r) => r.text())).toContain('create table');
  });

  it('sends after a confirmation and locks the answer with its sending time (R7.5, R7.6)', async () => {
    const { page } = aliya;
    await page.getByTestId('send').click();
    await page.getByRole('alertdialog').getByText('Жауапты жібересіз бе?').waitFor();
    await page.getByRole('button', { name: 'Болдырмау' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('sent').count()).toBe(0);

    await page.getByTestId('send').click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Жіберу' }).click();
    await page.getByTestId('sent').filter({ hasText: 'Жауап жіберілді' }).waitFor();
    expect(await page.getByTestId('save').count()).toBe(0);
    expect(await page.getByTestId('send').count()).toBe(0);
    expect(await page.getByTestId('answer-text').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Файлды жүктеу' }).count()).toBe(0);
    expect((await world.api.myAnswer(aliya.student.token, examId))?.status).toBe('SUBMITTED');
    await screenshot(page, '18-sent-kk');
    await expectNoEnglishUi(page, 'sent answer');
    await expectAccessible(page, 'sent answer');
  });

  it('shows the grade with its letter once the teacher grades (R2.5, R7.7)', async () => {
    const teacher = await world.api.login('teacher');
    const sittingId = await world.api.sittingId(aliya.student.token, examId);
    await world.api.call(
      teacher.token,
      'mutation($s:ID!){ gradeSitting(sittingId:$s, score:88, comment:"Жақсы") { id } }',
      { s: sittingId },
    );
    await aliya.page.reload();
    await aliya.page.getByTestId('grade').filter({ hasText: '88 балл — B+' }).waitFor();
    await screenshot(aliya.page, '19-graded-kk');

    await aliya.page.getByText('English', { exact: true }).click();
    await aliya.page.getByTestId('grade').filter({ hasText: '88 points — B+' }).waitFor();
    await screenshot(aliya.page, '20-graded-en');
    await aliya.page.getByText('Русский', { exact: true }).click();
    await aliya.page.getByTestId('grade').filter({ hasText: '88 баллов — B+' }).waitFor();
    await screenshot(aliya.page, '21-graded-ru');
  });
});
