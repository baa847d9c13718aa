import { settle } from '../../../testing/fakes';
import { focusWhenShown } from './focus-step';

describe('moving focus to the next step', () => {
  let root: HTMLElement;

  beforeEach(() => {
    root = document.createElement('div');
    document.body.appendChild(root);
  });
  afterEach(() => root.remove());

  it('waits for the step to render, then focuses its heading by script only (tabindex -1)', async () => {
    const moved = focusWhenShown(root, ['#next']);
    await settle(20);
    const heading = document.createElement('h2');
    heading.id = 'next';
    root.appendChild(heading);
    expect(await moved).toBeTrue();
    expect(document.activeElement).toBe(heading);
    expect(heading.getAttribute('tabindex')).toBe('-1');
  });

  it('prefers the selectors in their order, and leaves a focusable element as it is', async () => {
    root.innerHTML = '<p id="fallback">fallback</p><button id="first">first</button>';
    expect(await focusWhenShown(root, ['#first', '#fallback'])).toBeTrue();
    expect(document.activeElement!.id).toBe('first');
    expect(document.activeElement!.hasAttribute('tabindex')).toBeFalse();
  });

  it('gives up when the step never shows', async () => {
    expect(await focusWhenShown(root, ['#never'], 50)).toBeFalse();
  });
});
