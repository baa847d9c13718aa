import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { answerFixture, FakeAnswerApi, FakeConfirmation, settle, waitUntil } from '../../../../testing/fakes';
import { AnswerApi } from './answer-api';
import { ANSWER_TIMING } from './answer-draft';
import { Answers } from './answers';
import { DraftStore } from './draft-store';

/** issue 11: one answer on two devices or tabs: a newer version from elsewhere is taken, or both texts are shown. */
describe('the «Жауаптар» block across devices and tabs', () => {
  let fixture: ComponentFixture<Answers>;
  let api: FakeAnswerApi;
  let store: DraftStore;
  let rereads: number;

  const el = () => fixture.nativeElement as HTMLElement;
  const q = (testId: string) => el().querySelector<HTMLElement>(`[data-testid=${testId}]`);
  const textarea = () => q('answer-text') as HTMLTextAreaElement;

  async function render(answer = answerFixture()): Promise<void> {
    fixture = TestBed.createComponent(Answers);
    fixture.componentRef.setInput('examId', 'exam-1');
    fixture.componentRef.setInput('userId', 'student-1');
    fixture.componentRef.setInput('answer', answer);
    fixture.componentRef.setInput('lock', null);
    fixture.componentInstance.serverChanged.subscribe(() => rereads++);
    await fixture.whenStable();
  }

  async function type(text: string): Promise<void> {
    textarea().value = text;
    textarea().dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  /** another device saved `text`: the server holds it, and the page hears of it (mySittingChanged, or a re-read) */
  async function savedElsewhere(text: string): Promise<void> {
    api.text = text;
    api.version++;
    fixture.componentRef.setInput(
      'answer',
      answerFixture({ text, version: api.version, savedAt: new Date().toISOString() }),
    );
    await fixture.whenStable();
  }

  /** a server holding `text` at `version`, as the page reads it */
  function serverHolds(text: string, version: number) {
    api.text = text;
    api.version = version;
    return answerFixture({ text, version, savedAt: new Date(Date.now() - 60_000).toISOString() });
  }

  beforeEach(() => {
    localStorage.clear();
    rereads = 0;
    api = new FakeAnswerApi();
    TestBed.configureTestingModule({
      providers: [
        { provide: AnswerApi, useValue: api },
        { provide: Confirmation, useValue: new FakeConfirmation() },
        { provide: ANSWER_TIMING, useValue: { autosaveMs: 40, retryMs: 150 } },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
    store = TestBed.inject(DraftStore);
  });

  afterEach(() => localStorage.clear());

  it('takes a newer text quietly, with a short note, when this page has nothing unsaved', async () => {
    await render(serverHolds('Written here and saved.', 1));
    await savedElsewhere('Written on the phone later.');
    expect(textarea().value).toBe('Written on the phone later.');
    expect(q('conflict')).toBeNull();
    expect(q('updated-elsewhere')!.textContent).toContain('Жауап басқа құрылғыда немесе бетте жаңартылды');

    // the next save goes over the version the page now holds: accepted
    await type('Written on the phone later, and here again.');
    await waitUntil(() => api.saves.length > 0);
    await fixture.whenStable();
    expect(api.text).toBe('Written on the phone later, and here again.');
    expect(api.version).toBe(3);
    expect(q('updated-elsewhere')).toBeNull();
    expect(q('sync-state')!.textContent).toContain('Серверде сақталды');
  });

  it("keeps another tab's browser copy when this page takes a newer text quietly", async () => {
    await render(serverHolds('Written here and saved.', 1));
    // a second tab of this browser has typed on, not yet saved
    store.write('student-1', 'exam-1', { text: 'The other tab, unsaved.', editedAt: Date.now(), baseVersion: 1 });
    await savedElsewhere('Saved on the phone.');
    expect(textarea().value).toBe('Saved on the phone.');
    expect(store.read('student-1', 'exam-1')?.text).toBe('The other tab, unsaved.');
  });

  it('shows both texts when the page has unsaved edits, saves nothing meanwhile, and blocks Save and Send', async () => {
    await render(serverHolds('The common start.', 1));
    textarea().value = 'The common start, continued on the laptop.';
    textarea().dispatchEvent(new Event('input'));
    await savedElsewhere('The common start, continued on the phone.');

    expect(q('conflict')!.textContent).toContain('Жауап басқа құрылғыда немесе бетте өзгертілді');
    expect(q('conflict-mine')!.textContent).toBe('The common start, continued on the laptop.');
    expect(q('conflict-theirs')!.textContent).toBe('The common start, continued on the phone.');
    expect(textarea().value).toBe('The common start, continued on the laptop.');
    expect((q('save') as HTMLButtonElement).disabled).toBeTrue();
    expect((q('send') as HTMLButtonElement).disabled).toBeTrue();
    await settle(150); // past the autosave delay: nothing goes over the newer text unasked
    expect(api.saves).toEqual([]);
    expect(api.text).toBe('The common start, continued on the phone.');
  });

  it("keeps this page's text on request and saves it over the newer version", async () => {
    await render(serverHolds('The common start.', 1));
    textarea().value = 'Mine: the laptop text.';
    textarea().dispatchEvent(new Event('input'));
    await savedElsewhere('Theirs: the phone text.');
    expect(q('conflict')).not.toBeNull();

    (q('keep-mine') as HTMLButtonElement).click();
    await waitUntil(() => api.saves.length > 0);
    await fixture.whenStable();
    expect(api.saves).toEqual(['Mine: the laptop text.']); // accepted: made over version 2, the phone's
    expect(api.text).toBe('Mine: the laptop text.');
    expect(api.version).toBe(3);
    expect(q('conflict')).toBeNull();
    expect(textarea().value).toBe('Mine: the laptop text.');
    expect(store.read('student-1', 'exam-1')).toBeNull();
  });

  it('takes the other text on request, saving nothing and dropping the browser copy', async () => {
    await render(serverHolds('The common start.', 1));
    textarea().value = 'Mine: to be dropped.';
    textarea().dispatchEvent(new Event('input'));
    await savedElsewhere('Theirs: to be kept.');

    (q('keep-theirs') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(textarea().value).toBe('Theirs: to be kept.');
    expect(q('conflict')).toBeNull();
    expect(store.read('student-1', 'exam-1')).toBeNull();
    await settle(150);
    expect(api.saves).toEqual([]);
    expect((q('send') as HTMLButtonElement).disabled).toBeFalse();
  });

  it('on an ANSWER_CONFLICT refusal asks the page to re-read, and the re-read shows both texts', async () => {
    await render(serverHolds('The common start.', 1));
    // saved elsewhere, but no push reached this page (its socket was down)
    api.text = 'Saved on the phone, unheard of here.';
    api.version = 2;
    await type('Typed on the laptop meanwhile.');
    await waitUntil(() => rereads > 0);
    await fixture.whenStable();
    expect(api.saves).toEqual(['Typed on the laptop meanwhile.']); // refused: made over version 1
    expect(api.text).toBe('Saved on the phone, unheard of here.');
    expect(q('sync-state')!.textContent).toContain('Серверге сақталмады');

    // the page's re-read brings the server's answer
    fixture.componentRef.setInput('answer', answerFixture({ text: api.text, version: 2 }));
    await fixture.whenStable();
    expect(q('conflict-mine')!.textContent).toBe('Typed on the laptop meanwhile.');
    expect(q('conflict-theirs')!.textContent).toBe('Saved on the phone, unheard of here.');
  });

  it('after a send refused for the conflict, lets the student choose and then send over the new version', async () => {
    await render(serverHolds('The common start, saved.', 1));
    textarea().value = 'The laptop sends this text.';
    textarea().dispatchEvent(new Event('input'));
    api.text = 'The phone saved this meanwhile.';
    api.version = 2; // no push reached this page
    (q('send') as HTMLButtonElement).click();
    await waitUntil(() => rereads > 0);
    await fixture.whenStable();
    expect(api.submits).toEqual(['The laptop sends this text.']);
    expect(api.status).toBe('DRAFT');
    expect(q('send-error')!.textContent).toContain('Жауап жіберілмеді. Жауап басқа құрылғыда немесе бетте өзгертілген');

    fixture.componentRef.setInput('answer', answerFixture({ text: api.text, version: 2 }));
    await fixture.whenStable();
    (q('keep-mine') as HTMLButtonElement).click();
    await waitUntil(() => api.text === 'The laptop sends this text.');
    await fixture.whenStable();
    expect(q('send-error')).toBeNull();
    (q('send') as HTMLButtonElement).click();
    await waitUntil(() => api.status === 'SUBMITTED');
    expect(api.submits).toEqual(['The laptop sends this text.', 'The laptop sends this text.']);
  });

  it("does not take this page's own save, heard back before its reply, for a change elsewhere", async () => {
    await render(serverHolds('The common start.', 1));
    await type('The laptop saves this.');
    await waitUntil(() => api.saves.length > 0);
    // the push of that very save (version 2), and the reply, in either order
    fixture.componentRef.setInput('answer', answerFixture({ text: 'The laptop saves this.', version: 2 }));
    await fixture.whenStable();
    expect(q('conflict')).toBeNull();
    expect(q('updated-elsewhere')).toBeNull();
    await type('The laptop saves this, and more.');
    await waitUntil(() => api.saves.length > 1);
    await fixture.whenStable();
    expect(api.text).toBe('The laptop saves this, and more.'); // made over version 2: accepted
    expect(q('conflict')).toBeNull();
  });

  it('never puts a browser copy typed over an older version silently over the newer text', async () => {
    store.write('student-1', 'exam-1', {
      text: 'Typed over version 1, then closed.',
      editedAt: Date.now(),
      baseVersion: 1,
    });
    await render(serverHolds('Saved later on the phone (version 2).', 2));
    expect(q('conflict-mine')!.textContent).toBe('Typed over version 1, then closed.');
    expect(q('conflict-theirs')!.textContent).toBe('Saved later on the phone (version 2).');
    await settle(150);
    expect(api.saves).toEqual([]);
    expect(api.text).toBe('Saved later on the phone (version 2).');
  });

  it('restores a browser copy typed over the version the server still holds, and saves it', async () => {
    store.write('student-1', 'exam-1', { text: 'Typed over version 2, then closed.', editedAt: 0, baseVersion: 2 });
    await render(serverHolds('Version 2 on the server.', 2));
    expect(q('conflict')).toBeNull();
    expect(textarea().value).toBe('Typed over version 2, then closed.');
    await waitUntil(() => api.saves.length > 0);
    expect(api.text).toBe('Typed over version 2, then closed.');
    expect(api.version).toBe(3);
  });
});
