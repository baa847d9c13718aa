import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { I18n } from '../../../core/i18n/i18n';
import { gradedSitting } from '../../../../testing/room-fixtures';
import { at } from '../../../../testing/exam-fixtures';
import { type GradeDecision, GradingForm } from './grading-form';

describe('the grading form', () => {
  let fixture: ComponentFixture<GradingForm>;
  let decisions: GradeDecision[];

  const el = () => fixture.nativeElement as HTMLElement;
  const preview = () => el().querySelector('[data-testid=grade-preview]')!.textContent!.replace(/\s+/g, ' ').trim();
  const save = () => el().querySelector<HTMLButtonElement>('[data-testid=save-grade]')!;

  async function type(testId: string, value: string) {
    const field = el().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid=${testId}]`)!;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.inject(I18n).setLang('kk');
    fixture = TestBed.createComponent(GradingForm);
    fixture.componentRef.setInput('sitting', gradedSitting('student02', 'Әлия Нұрланқызы'));
    fixture.componentRef.setInput('hasNext', true);
    decisions = [];
    fixture.componentInstance.grade.subscribe((d) => decisions.push(d));
    await fixture.whenStable();
  });

  it('shows the letter and GPA points as the score is typed', async () => {
    expect(preview()).toContain('Балды жазыңыз');
    expect(save().disabled).toBeTrue();
    await type('score', '8');
    expect(preview()).toBe('F Сандық эквиваленті: 0,00');
    await type('score', '88');
    expect(preview()).toBe('B+ Сандық эквиваленті: 3,33');
    await type('score', '100');
    expect(preview()).toBe('A Сандық эквиваленті: 4,00');
    await type('score', '49');
    expect(preview()).toBe('FX Сандық эквиваленті: 0,50');
    expect(save().disabled).toBeFalse();
  });

  it('refuses anything but a whole number from 0 to 100', async () => {
    for (const typed of ['101', '-5', '8.5', 'абв']) {
      await type('score', typed);
      expect(preview()).withContext(typed).toBe('Балл — 0-ден 100-ге дейінгі бүтін сан.');
      expect(save().disabled).withContext(typed).toBeTrue();
      expect(el().querySelector('[data-testid=score]')!.getAttribute('aria-invalid')).toBe('true');
    }
  });

  it('saves the score with the comment, and with Ctrl+Enter goes on to the next ungraded answer', async () => {
    await type('score', '88');
    await type('comment', '  Жақсы, бірақ мысал жоқ.  ');
    save().click();
    expect(decisions).toEqual([{ score: 88, comment: 'Жақсы, бірақ мысал жоқ.', next: false }]);

    el()
      .querySelector('[data-testid=comment]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    expect(decisions[1]).toEqual({ score: 88, comment: 'Жақсы, бірақ мысал жоқ.', next: true });
  });

  it('starts from the grade already given, and afresh for another student', async () => {
    fixture.componentRef.setInput(
      'sitting',
      gradedSitting('student03', 'Арман Бекұлы', {
        grade: {
          score: 72,
          letter: 'C+',
          gpa: 2.33,
          comment: 'Қанағаттанарлық',
          gradedAt: at(-1),
          gradedBy: { id: 't', fullName: 'Нұрлан Әбенов' },
        },
      }),
    );
    await fixture.whenStable();
    expect(el().querySelector<HTMLInputElement>('[data-testid=score]')!.value).toBe('72');
    expect(el().querySelector<HTMLTextAreaElement>('[data-testid=comment]')!.value).toBe('Қанағаттанарлық');
    expect(save().textContent).toContain('Бағаны өзгерту');
    expect(save().disabled).toBeTrue(); // nothing changed yet

    fixture.componentRef.setInput('sitting', gradedSitting('student04', 'Дана Сапарова'));
    await fixture.whenStable();
    expect(el().querySelector<HTMLInputElement>('[data-testid=score]')!.value).toBe('');
    expect(save().textContent).toContain('Баға қою');
  });
});
