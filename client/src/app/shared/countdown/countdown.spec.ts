import { TestBed } from '@angular/core/testing';
import { I18n } from '../../core/i18n/i18n';
import { Countdown, formatDuration } from './countdown';

describe('the countdown', () => {
  it('formats hours, minutes and seconds, and days when there are some', () => {
    const days = (n: number) => `${n} күн`;
    expect(formatDuration(3_723_000, days)).toBe('01:02:03');
    expect(formatDuration(90_061_000, days)).toBe('1 күн 01:01:01');
    expect(formatDuration(-5000, days)).toBe('00:00:00');
    expect(formatDuration(1, days)).toBe('00:00:01');
  });

  it('counts to the start, then to the end, then says the time is over', async () => {
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(Countdown);
    const el = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('startsAt', 100_000);
    fixture.componentRef.setInput('endsAt', 200_000);
    fixture.componentRef.setInput('now', 40_000);
    await fixture.whenStable();
    expect(el.textContent).toContain('Басталуына дейін');
    expect(el.textContent).toContain('00:01:00');
    fixture.componentRef.setInput('now', 150_000);
    await fixture.whenStable();
    expect(el.textContent).toContain('Аяқталуына дейін');
    expect(el.textContent).toContain('00:00:50');
    fixture.componentRef.setInput('now', 200_000);
    await fixture.whenStable();
    expect(el.textContent).toContain('Емтихан уақыты аяқталды');
    expect(el.querySelector('[role=timer]')).not.toBeNull();
  });
});
