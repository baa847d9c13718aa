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
    expect(q('upload')!.textContent).toContain('«huge.mov» жүктелмеді. Файл тым үлкен; кішірек файл жүктеңіз.');
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
    expect(q('upload')!.textContent).toContain('«scan.pdf» жүктелмеді. Жауап файлдарының жалпы көлемі шектен асады');
  });

  it('deletes a file with «Өшіру» (R7.3)', async () => {
    api.files = [fileFixture('a.txt'), fileFixture('b.txt')];
    await render(answerFixture({ files: [...api.files] }));
    el().querySelector<HTMLButtonElement>('button[aria-label="«a.txt» файлын өшіру"]')!.click();
    await settle();
    await fixture.whenStable();
    expect(Array.from(el().querySelectorAll('app-file-list a')).map((a) => a.textContent?.trim())).toEqual(['b.txt']);
  });
});
