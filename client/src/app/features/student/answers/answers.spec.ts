import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import {
  answerFixture,
  FakeAnswerApi,
  FakeConfirmation,
  fileFixture,
  settle,
  waitUntil,
} from '../../../../testing/fakes';
import { AnswerApi } from './answer-api';
import { AnswerLimits } from './answer-limits';
import { ANSWER_TIMING } from './answer-draft';
import { Answers } from './answers';
import { DraftStore } from './draft-store';

describe('the «Жауаптар» block', () => {
  let fixture: ComponentFixture<Answers>;
  let api: FakeAnswerApi;
  let confirmation: FakeConfirmation;
  let store: DraftStore;
  let changes: number;

  const el = () => fixture.nativeElement as HTMLElement;
  const q = (testId: string) => el().querySelector<HTMLElement>(`[data-testid=${testId}]`);
  const button = (testId: string) => q(testId) as HTMLButtonElement | null;
  const textarea = () => q('answer-text') as HTMLTextAreaElement;

  async function render(answer = answerFixture(), lock: 'submitted' | 'ended' | null = null): Promise<void> {
    fixture = TestBed.createComponent(Answers);
    fixture.componentRef.setInput('examId', 'exam-1');
    fixture.componentRef.setInput('userId', 'student-1');
    fixture.componentRef.setInput('answer', answer);
    fixture.componentRef.setInput('lock', lock);
    fixture.componentInstance.serverChanged.subscribe(() => changes++);
    await fixture.whenStable();
  }

  async function type(text: string): Promise<void> {
    textarea().value = text;
    textarea().dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  beforeEach(() => {
    localStorage.clear();
    changes = 0;
    api = new FakeAnswerApi();
    confirmation = new FakeConfirmation();
    TestBed.configureTestingModule({
      providers: [
        { provide: AnswerApi, useValue: api },
        { provide: Confirmation, useValue: confirmation },
        { provide: ANSWER_TIMING, useValue: { autosaveMs: 40, retryMs: 150 } },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
    store = TestBed.inject(DraftStore);
  });

  afterEach(() => localStorage.clear());

  it('enables «Сақтау» and «Жауапты жіберу» from ten characters, spaces around not counted (R7.4, R7.5)', async () => {
    await render();
    expect(button('save')!.textContent).toContain('Сақтау');
    expect(button('send')!.textContent).toContain('Жауапты жіберу');
    expect(button('save')!.disabled).toBeTrue();
    expect(button('send')!.disabled).toBeTrue();

    await type('    123456789    ');
    expect(q('answer-count')!.textContent).toContain('9 белгі');
    expect(button('save')!.disabled).toBeTrue();
    expect(button('send')!.disabled).toBeTrue();

    await type('1234567890');
    expect(q('answer-count')!.textContent).toContain('10 белгі');
    expect(button('save')!.disabled).toBeFalse();
    expect(button('send')!.disabled).toBeFalse();
  });

  it('enables both with one uploaded file and no text (R7.4)', async () => {
    await render(answerFixture({ files: [fileFixture('essay.pdf')] }));
    expect(button('save')!.disabled).toBeFalse();
    expect(button('send')!.disabled).toBeFalse();
    const link = el().querySelector<HTMLAnchorElement>('app-file-list a')!;
    expect(link.textContent).toContain('essay.pdf');
    expect(link.getAttribute('href')).toContain('/files/file-essay.pdf');
    expect(el().textContent).toContain('Өшіру');
  });

  it('autosaves a few moments after typing stops and then drops the browser copy', async () => {
    await render();
    await type('Нормальдау — кестелерді бөлу.');
    expect(store.read('student-1', 'exam-1')?.text).toBe('Нормальдау — кестелерді бөлу.');
    expect(api.saves).toEqual([]);
    await waitUntil(() => api.saves.length > 0);
    await fixture.whenStable();
    expect(api.saves).toEqual(['Нормальдау — кестелерді бөлу.']);
    expect(store.read('student-1', 'exam-1')).toBeNull();
    expect(q('sync-state')!.textContent).toContain('Серверде сақталды');
  });

  it('keeps the text in the browser while the server cannot be reached, and retries', async () => {
    await render();
    api.refuse = 'NETWORK';
    await type('Written while the network is down.');
    await waitUntil(() => api.saves.length > 0);
    await fixture.whenStable();
    expect(q('sync-state')!.textContent).toContain('Осы браузерде сақталды');
    expect(store.read('student-1', 'exam-1')?.text).toBe('Written while the network is down.');

    api.refuse = null;
    await waitUntil(() => api.text === 'Written while the network is down.');
    await fixture.whenStable();
    expect(store.read('student-1', 'exam-1')).toBeNull();
    expect(q('sync-state')!.textContent).toContain('Серверде сақталды');
  });

  it('restores a newer browser copy after a reload and sends it to the server', async () => {
    store.write('student-1', 'exam-1', { text: 'Typed, then the browser crashed.', editedAt: Date.now() });
    await render(answerFixture({ text: 'Older server text', savedAt: new Date(Date.now() - 60_000).toISOString() }));
    expect(textarea().value).toBe('Typed, then the browser crashed.');
    expect(el().textContent).toContain('Жауаптың сақталмай қалған нұсқасы осы браузерден қалпына келтірілді.');
    await waitUntil(() => api.saves.length > 0);
    expect(api.saves).toEqual(['Typed, then the browser crashed.']);
  });

  it("prefers the server when its copy is newer than the browser's", async () => {
    store.write('student-1', 'exam-1', { text: 'old browser copy', editedAt: Date.now() - 120_000 });
    await render(answerFixture({ text: 'Saved later on another computer', savedAt: new Date().toISOString() }));
    expect(textarea().value).toBe('Saved later on another computer');
    expect(store.read('student-1', 'exam-1')).toBeNull();
  });

  it('asks before sending, and sends nothing when the student cancels', async () => {
    await render();
    await type('A complete answer to the ticket.');
    confirmation.answer = false;
    button('send')!.click();
    await settle();
    expect(confirmation.asked[0].title).toBe('Жауапты жібересіз бе?');
    expect(api.submits).toEqual([]);
  });

  it('asks once when Send is clicked twice', async () => {
    await render();
    await type('A complete answer to the ticket.');
    let answer!: (value: boolean) => void;
    spyOn(confirmation, 'ask').and.returnValue(new Promise<boolean>((resolve) => (answer = resolve)));
    button('send')!.click();
    button('send')!.click();
    expect(confirmation.ask).toHaveBeenCalledTimes(1);
    answer(true);
    await settle();
    await fixture.whenStable();
    expect(api.submits).toEqual(['A complete answer to the ticket.']);
  });

  it('locks the answer after sending: read-only, no Save or Send, the sending time shown (R7.6)', async () => {
    await render();
    await type('A complete answer to the ticket.');
    button('send')!.click();
    await settle();
    await fixture.whenStable();
    expect(api.submits).toEqual(['A complete answer to the ticket.']);
    expect(button('save')).toBeNull();
    expect(button('send')).toBeNull();
    expect(textarea().readOnly).toBeTrue();
    expect(q('sent')!.textContent).toContain('Жауап жіберілді');
    expect(el().textContent).not.toContain('Файлды жүктеу');
    // Send is gone: focus is on the note that says so, not dropped to the page's body
    await waitUntil(() => document.activeElement === q('sent'));
    expect(q('sent')!.getAttribute('tabindex')).toBe('-1');
  });

  it('shows an answer the server holds as sent the same way', async () => {
    await render(
      answerFixture({ text: 'Sent yesterday.', status: 'SUBMITTED', submittedAt: new Date().toISOString() }),
      'submitted',
    );
    expect(textarea().value).toBe('Sent yesterday.');
    expect(textarea().readOnly).toBeTrue();
    expect(button('send')).toBeNull();
    expect(q('sent')).not.toBeNull();
  });

  it('disables Save and Send at the end time and says the answer was not sent', async () => {
    await render(answerFixture({ text: 'Long enough but never sent.' }), 'ended');
    expect(button('save')!.disabled).toBeTrue();
    expect(button('send')!.disabled).toBeTrue();
    expect(textarea().readOnly).toBeTrue();
    expect(q('ended-unsent')!.textContent).toContain('Емтихан уақыты аяқталды');
  });

  it('says clearly when a send did not land, and asks the page to re-read the exam', async () => {
    await render();
    await type('Sent one second too late.');
    api.refuse = 'EXAM_ENDED';
    button('send')!.click();
    await settle();
    await fixture.whenStable();
    expect(q('send-error')!.textContent).toContain('Жауап жіберілмеді. Емтихан уақыты аяқталды.');
    expect(changes).toBeGreaterThan(0);
    expect(store.read('student-1', 'exam-1')?.text).toBe('Sent one second too late.');
  });

  it('uploads several files and names a refused one with the reason', async () => {
    await render();
    const input = el().querySelector<HTMLInputElement>('[data-testid=file-input]')!;
    expect(input.multiple).toBeTrue();
    await fixture.componentInstance['draft'].upload([new File(['a'], 'one.txt'), new File(['b'], 'two.txt')]);
    await fixture.whenStable();
    expect(Array.from(el().querySelectorAll('app-file-list a')).map((a) => a.textContent?.trim())).toEqual([
      'one.txt',
      'two.txt',
    ]);

    api.refuse = 'FILE_TOO_LARGE';
    await fixture.componentInstance['draft'].upload([new File(['c'], 'huge.mov')]);
    await fixture.whenStable();
    expect(q('upload')!.textContent).toContain('«huge.mov» жүктелмеді. Файл 20 МБ-тан үлкен; кішірек файл жүктеңіз.');
  });

  it('lists an uploaded file once when the push with it comes before the upload reply', async () => {
    await render();
    const upload = api.upload.bind(api);
    api.upload = async (examId, file, onProgress) => {
      const stored = await upload(examId, file, onProgress);
      // mySittingChanged overtakes the HTTP reply: the page's answer already holds the new file
      fixture.componentRef.setInput('answer', answerFixture({ files: [...api.files] }));
      await fixture.whenStable();
      return stored;
    };
    await fixture.componentInstance['draft'].upload([new File(['a'], 'photo.jpg')]);
    await fixture.whenStable();
    expect(Array.from(el().querySelectorAll('app-file-list a')).map((a) => a.textContent?.trim())).toEqual([
      'photo.jpg',
    ]);
  });

  it('refuses an empty file without sending it, and does not count one as an answer', async () => {
    await render(answerFixture({ files: [{ ...fileFixture('empty.pdf'), size: 0 }] }));
    expect(button('save')!.disabled).toBeTrue(); // an older draft's 0-byte file is no answer (ANSWER_TOO_SHORT on the server)
    expect(button('send')!.disabled).toBeTrue();

    await fixture.componentInstance['draft'].upload([new File([], 'blank.docx')]);
    await fixture.whenStable();
    expect(q('upload')!.textContent).toContain(
      '«blank.docx» жүктелмеді. Файл бос (0 байт); оны құрылғыңызда сақтап, қайта таңдаңыз.',
    );
    expect(api.files).toEqual([]);
  });

  it('names the answer quota when the files together are too large', async () => {
    await render();
    api.refuse = 'ANSWER_TOO_LARGE';
    await fixture.componentInstance['draft'].upload([new File(['c'], 'scan.pdf')]);
    await fixture.whenStable();
    expect(q('upload')!.textContent).toContain('«scan.pdf» жүктелмеді. Жауап файлдары барлығы 50 МБ-тан аспауы керек');
  });

  it('deletes a file with «Өшіру» (R7.3)', async () => {
    api.files = [fileFixture('a.txt'), fileFixture('b.txt')];
    await render(answerFixture({ files: [...api.files] }));
    el().querySelector<HTMLButtonElement>('button[aria-label="«a.txt» файлын өшіру"]')!.click();
    await settle();
    await fixture.whenStable();
    expect(Array.from(el().querySelectorAll('app-file-list a')).map((a) => a.textContent?.trim())).toEqual(['b.txt']);
  });

  describe('under the answer field (issue 11)', () => {
    const MB = 1024 * 1024;

    it('stacks the rule, the count against the limit, the file limits and the save state, each on its own', async () => {
      await render();
      await type('  short  ');
      const messages = q('answer-messages')!;
      const shown = Array.from(messages.children).map((c) => c.getAttribute('data-testid'));
      expect(shown).toEqual(['answer-rule', 'answer-count', 'answer-limits', 'sync-state']);
      expect(el().querySelector('mat-hint')).toBeNull(); // hints share one line and were drawn over each other
      expect(q('answer-count')!.textContent).toContain('5 белгі / 100');
      expect(q('answer-limits')!.textContent).toContain('Файлдар: 0 / 10; әрқайсысы 20 МБ-қа дейін, барлығы 50 МБ');
      expect(textarea().getAttribute('aria-describedby')).toContain('answer-count');
    });

    it("shows the server's limits, stops the text at its limit and says so", async () => {
      TestBed.inject(AnswerLimits).values.set({
        maxChars: 40,
        maxFileBytes: 2 * MB,
        maxFiles: 3,
        maxTotalBytes: 5 * MB,
      });
      await render();
      expect(textarea().maxLength).toBe(40);
      expect(q('answer-count')!.textContent).toContain('/ 40');
      expect(q('answer-limits')!.textContent).toContain('0 / 3; әрқайсысы 2 МБ-қа дейін, барлығы 5 МБ');
      expect(q('answer-at-limit')).toBeNull();
      await type('x'.repeat(40));
      expect(q('answer-at-limit')!.textContent).toContain('Мәтін шегіне жетті: 40 белгі');
    });

    it('refuses a file over the limits before sending it, naming the limit', async () => {
      TestBed.inject(AnswerLimits).values.set({
        maxChars: 100_000,
        maxFileBytes: 2 * MB,
        maxFiles: 1,
        maxTotalBytes: 5 * MB,
      });
      await render();
      const big = new File([new Uint8Array(2 * MB + 1)], 'video.mp4');
      await fixture.componentInstance['draft'].upload([big]);
      await fixture.whenStable();
      expect(api.files).toEqual([]);
      expect(q('upload')!.textContent).toContain('«video.mp4» жүктелмеді. Файл 2 МБ-тан үлкен');

      await fixture.componentInstance['draft'].upload([new File(['a'], 'one.txt'), new File(['b'], 'two.txt')]);
      await fixture.whenStable();
      expect(api.files.map((f) => f.name)).toEqual(['one.txt']);
      expect(el().textContent).toContain('«two.txt» жүктелмеді. Бір жауапқа ең көбі 1 файл жүктеуге болады');
    });

    it('says there is no connection when a send cannot reach the server, and clears it when the connection returns', async () => {
      await render();
      await type('A complete answer, sent while offline.');
      api.refuse = 'NETWORK';
      button('send')!.click();
      await settle();
      await fixture.whenStable();
      expect(q('send-error')!.textContent).toContain('Интернет байланысы жоқ — жауап жіберілмеді.');
      expect(q('send-error')!.textContent).not.toContain('Серверде қате');
      expect(store.read('student-1', 'exam-1')?.text).toBe('A complete answer, sent while offline.');

      api.refuse = null;
      window.dispatchEvent(new Event('online'));
      await fixture.whenStable();
      expect(q('send-error')).toBeNull();
    });

    it('keeps the browser copy while typing fast without writing it on every key, and writes it when the page hides', async () => {
      await render();
      const writes = spyOn(store, 'write').and.callThrough();
      await type('First words of the answer.');
      await type('First words of the answer, and more.');
      await type('First words of the answer, and more, and more.');
      expect(writes).toHaveBeenCalledTimes(1);
      window.dispatchEvent(new Event('pagehide'));
      expect(writes).toHaveBeenCalledTimes(2);
      expect(store.read('student-1', 'exam-1')?.text).toBe('First words of the answer, and more, and more.');
    });

    it('stops growing the field with a very long text, so typing stays quick', async () => {
      await render();
      await type('x'.repeat(500));
      expect(textarea().classList).not.toContain('long');
      await type('x'.repeat(20_000));
      expect(textarea().classList).toContain('long');
    });
  });
});
