import { TestBed } from '@angular/core/testing';
import { I18n } from '../../core/i18n/i18n';
import { settle, waitUntil } from '../../../testing/fakes';
import { Confirmation } from './confirm-dialog';

describe('the confirmation', () => {
  let answer: boolean | null;

  beforeEach(() => {
    TestBed.inject(I18n).setLang('kk');
    answer = null;
  });
  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = '')));

  async function ask(): Promise<void> {
    void TestBed.inject(Confirmation)
      .ask({ title: 'Осы билетті таңдайсыз ба?', text: '…', confirm: 'Билетті таңдау' })
      .then((yes) => (answer = yes));
    await waitUntil(() => !!document.querySelector('app-confirm-dialog'));
  }
  const click = (target: Element, detail: number) =>
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail }));
  const open = () => !!document.querySelector('app-confirm-dialog');

  it("stays open when the opening double click's second click lands on the backdrop or a button", async () => {
    await ask();
    click(document.querySelector('.cdk-overlay-backdrop')!, 2);
    click(document.querySelector('app-confirm-dialog button.cancel')!, 2);
    click(document.querySelector('app-confirm-dialog button.confirm')!, 2);
    await settle();
    expect(open()).toBeTrue();
    expect(answer).toBeNull();

    click(document.querySelector('app-confirm-dialog button.confirm')!, 1); // a click of its own
    await waitUntil(() => answer !== null);
    expect(answer).toBeTrue();
  });

  it('answers no on a single click on the backdrop, and on Escape', async () => {
    await ask();
    click(document.querySelector('.cdk-overlay-backdrop')!, 1);
    await waitUntil(() => answer !== null);
    expect(answer).toBeFalse();

    await ask();
    document
      .querySelector('app-confirm-dialog')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await waitUntil(() => answer !== null);
    expect(answer).toBeFalse();
  });

  it('answers a keyboard click (detail 0) at once', async () => {
    await ask();
    click(document.querySelector('app-confirm-dialog button.cancel')!, 0);
    await waitUntil(() => answer !== null);
    expect(answer).toBeFalse();
  });
});
