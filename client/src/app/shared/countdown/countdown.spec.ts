import { TestBed } from '@angular/core/testing';
import { I18n } from '../../core/i18n/i18n';
import { settle } from '../../../testing/fakes';
import { Countdown, formatDuration, urgencyOf } from './countdown';

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

  it('is calm until five minutes before the end, then soon, then last at one minute', () => {
    expect(urgencyOf('running', 5 * 60_000 + 1)).toBe('calm');
    expect(urgencyOf('running', 5 * 60_000)).toBe('soon');
    expect(urgencyOf('running', 60_001)).toBe('soon');
    expect(urgencyOf('running', 60_000)).toBe('last');
    expect(urgencyOf('upcoming', 30_000)).toBe('calm');
    expect(urgencyOf('ended', 0)).toBe('calm');
  });

  it('warns in words at five minutes and one minute and tells screen readers then, not every second', async () => {
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(Countdown);
    const el = fixture.nativeElement as HTMLElement;
    const q = (testId: string) => el.querySelector<HTMLElement>(`[data-testid=${testId}]`)!;
    fixture.componentRef.setInput('startsAt', 0);
    fixture.componentRef.setInput('endsAt', 3_600_000);
    fixture.componentRef.setInput('warn', true);
    fixture.componentRef.setInput('now', 3_600_000 - 10 * 60_000);
    await fixture.whenStable();
    await settle(150);
    await fixture.whenStable();
    expect(q('countdown').getAttribute('data-urgency')).toBe('calm');
    expect(q('countdown').getAttribute('aria-live')).toBeNull(); // a timer is silent: no announcement each second
    expect(q('countdown-polite').getAttribute('aria-live')).toBe('polite');
    expect(q('countdown-assertive').getAttribute('aria-live')).toBe('assertive');
    expect(q('countdown-polite').textContent!.trim()).toBe('');

    fixture.componentRef.setInput('now', 3_600_000 - 4 * 60_000);
    await fixture.whenStable();
    expect(q('countdown').classList).toContain('soon');
    expect(q('countdown-warning').textContent).toContain('5 минуттан аз қалды');
    expect(q('countdown-polite').textContent).toContain('Емтихан аяқталуына 5 минуттан аз қалды');
    expect(q('countdown-assertive').textContent!.trim()).toBe('');
    const announced = q('countdown-polite').textContent;
    fixture.componentRef.setInput('now', 3_600_000 - 4 * 60_000 + 1000);
    await fixture.whenStable();
    expect(q('countdown-polite').textContent).toBe(announced); // the next second changes nothing to read out

    fixture.componentRef.setInput('now', 3_600_000 - 30_000);
    await fixture.whenStable();
    expect(q('countdown').classList).toContain('last');
    expect(q('countdown-warning').textContent).toContain('1 минуттан аз қалды');
    expect(q('countdown-assertive').textContent).toContain('Емтихан аяқталуына 1 минуттан аз қалды');
    expect(q('countdown-polite').textContent!.trim()).toBe('');
  });

  it("stays calm on staff's screens (no warn)", async () => {
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(Countdown);
    const el = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('startsAt', 0);
    fixture.componentRef.setInput('endsAt', 3_600_000);
    fixture.componentRef.setInput('now', 3_600_000 - 30_000);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=countdown]')!.getAttribute('data-urgency')).toBe('calm');
    expect(el.querySelector('[data-testid=countdown-warning]')).toBeNull();
  });
});
