import { TestBed } from '@angular/core/testing';
import type { AnswerSendMode, DraftAfterEnd } from '../../core/graphql/generated';
import { I18n } from '../../core/i18n/i18n';
import { SendMark } from './send-mark';

describe('the send mark (issue 11)', () => {
  async function render(mode: AnswerSendMode | null, draft: DraftAfterEnd | null = null) {
    const fixture = TestBed.createComponent(SendMark);
    fixture.componentRef.setInput('mode', mode);
    fixture.componentRef.setInput('draft', draft);
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>('[data-testid="send-mark"]');
  }

  afterEach(async () => await TestBed.inject(I18n).setLang('kk'));

  it('marks an answer sent automatically at the end, in the Kazakh of the page', async () => {
    await TestBed.inject(I18n).setLang('kk');
    const mark = await render('AUTOMATIC');
    expect(mark?.dataset['mark']).toBe('AUTOMATIC');
    expect(mark?.textContent?.trim()).toBe('Аяқталу уақытында жүйе автоматты түрде жіберді');
  });

  it('marks a Send received within the grace, in Russian and English', async () => {
    await TestBed.inject(I18n).setLang('ru');
    expect((await render('LATE_WITHIN_GRACE'))?.textContent?.trim()).toBe(
      'Получен сразу после окончания (в пределах допуска)',
    );
    await TestBed.inject(I18n).setLang('en');
    expect((await render('LATE_WITHIN_GRACE'))?.textContent?.trim()).toBe(
      'Received just after the end (within the grace)',
    );
  });

  it('says a draft after the end was not sent because it is too short', async () => {
    await TestBed.inject(I18n).setLang('en');
    const mark = await render(null, 'TOO_SHORT');
    expect(mark?.textContent?.trim()).toBe('Draft, not sent (too short)');
    expect(mark?.classList).toContain('unsent');
  });

  it('shows nothing for a Send by the student in time, or for no answer', async () => {
    expect(await render('STUDENT')).toBeNull();
    expect(await render(null, null)).toBeNull();
  });
});
