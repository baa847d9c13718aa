import { TestBed } from '@angular/core/testing';
import { I18n } from '../../../core/i18n/i18n';
import { TicketBoard, type Tile } from './ticket-board';

describe('the ticket board (R4.2)', () => {
  const tiles: Tile[] = [
    { id: 'c', taken: false },
    { id: 'a', taken: true },
    { id: 'b', taken: false },
  ];

  async function render(busy = false) {
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(TicketBoard);
    fixture.componentRef.setInput('tiles', tiles);
    fixture.componentRef.setInput('busy', busy);
    await fixture.whenStable();
    return fixture;
  }

  it("shows rectangular tiles in the server's order, without numbers", async () => {
    const fixture = await render();
    const buttons = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLButtonElement>('button.tile'),
    );
    expect(buttons.map((b) => b.dataset['ticket'])).toEqual(['c', 'a', 'b']);
    expect(buttons.every((b) => b.textContent?.trim() === '')).toBeTrue();
    expect((fixture.nativeElement as HTMLElement).querySelector('h2')?.textContent).toContain('Билетті таңдау');
  });

  it('marks taken tiles by stripes and by name, and disables them', async () => {
    const fixture = await render();
    const [free, taken] = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLButtonElement>('button.tile'),
    );
    expect(free.getAttribute('aria-label')).toBe('Бос билет');
    expect(free.disabled).toBeFalse();
    expect(taken.getAttribute('aria-label')).toBe('Алынған билет');
    expect(taken.disabled).toBeTrue();
    expect(getComputedStyle(taken).backgroundImage).toContain('repeating-linear-gradient');
    expect(getComputedStyle(free).backgroundImage).toBe('none');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Бос: 2, алынған: 1');
  });

  it('keeps a hint for forced colours, naming the frames and the cross, hidden while colours show', async () => {
    const el = (await render()).nativeElement as HTMLElement;
    const hint = el.querySelector<HTMLElement>('[data-testid=board-hint]')!;
    const forced = el.querySelector<HTMLElement>('[data-testid=board-hint-forced]')!;
    expect(getComputedStyle(hint).display).toBe('block');
    expect(getComputedStyle(forced).display).toBe('none');
    expect(forced.textContent).toContain('жиегі тұтас');
    expect(forced.textContent).toContain('✕');
  });

  it('offers a free tile to choose, and nothing while a choice is on its way', async () => {
    const fixture = await render();
    const chosen: Tile[] = [];
    fixture.componentInstance.choose.subscribe((tile) => chosen.push(tile));
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('button.free')!.click();
    expect(chosen).toEqual([{ id: 'c', taken: false }]);

    fixture.componentRef.setInput('busy', true);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('button.free')!.disabled).toBeTrue();
  });
});
