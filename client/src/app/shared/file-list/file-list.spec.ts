import { TestBed } from '@angular/core/testing';
import { Session } from '../../core/auth/session';
import { FileList, signedLinkExpiry, type ListedFile } from './file-list';

describe('the file list', () => {
  const file = (expires: number): ListedFile => ({
    id: 'file-1',
    name: 'task.pdf',
    size: 10,
    url: `/files/file-1?access=session-1.${expires}.sig`,
  });

  async function render(files: ListedFile[]) {
    const fixture = TestBed.createComponent(FileList);
    fixture.componentRef.setInput('files', files);
    await fixture.whenStable();
    return fixture;
  }

  /** clicks the file's link like a person, and reports whether the component took the download over */
  function click(fixture: Awaited<ReturnType<typeof render>>): boolean {
    const link = (fixture.nativeElement as HTMLElement).querySelector<HTMLAnchorElement>('a.name')!;
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    let takenOver = false;
    const stop = (e: Event) => {
      takenOver = e.defaultPrevented;
      e.preventDefault(); // the spec's page must not follow the link
    };
    document.addEventListener('click', stop, { once: true });
    link.dispatchEvent(event);
    return takenOver;
  }

  let anchorClicks: HTMLAnchorElement[];
  let fetchSpy: jasmine.Spy;

  beforeEach(() => {
    anchorClicks = [];
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      anchorClicks.push(this);
    });
    fetchSpy = spyOn(window, 'fetch').and.resolveTo(new Response('file body', { status: 200 }));
    TestBed.inject(Session).start('token-1', { id: 'u1', login: 's01', fullName: 'S', role: 'STUDENT' });
  });
  afterEach(() => TestBed.inject(Session).end());

  it('reads when a signed link runs out', () => {
    expect(signedLinkExpiry('/files/a?access=s.1767225600000.sig')).toBe(1767225600000);
    expect(signedLinkExpiry('/files/a')).toBeNull();
    expect(signedLinkExpiry('/files/a?access=garbage')).toBeNull();
  });

  it('leaves a fresh link to the browser', async () => {
    const fixture = await render([file(Date.now() + 10 * 60_000)]);
    expect(click(fixture)).toBeFalse();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('downloads with the session token when the link has run out, under the file name', async () => {
    const fixture = await render([file(Date.now() - 1000)]);
    expect(click(fixture)).toBeTrue();
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchSpy).toHaveBeenCalledWith('/files/file-1', { headers: { Authorization: 'Bearer token-1' } });
    expect(anchorClicks.length).toBe(1);
    expect(anchorClicks[0].href).toMatch(/^blob:/);
    expect(anchorClicks[0].download).toBe('task.pdf');
  });

  it('falls back to the link itself when the server refuses', async () => {
    fetchSpy.and.resolveTo(new Response('{}', { status: 401 }));
    const stale = file(Date.now() - 1000);
    const fixture = await render([stale]);
    click(fixture);
    await new Promise((r) => setTimeout(r, 20));
    expect(anchorClicks.length).toBe(1);
    expect(anchorClicks[0].getAttribute('href')).toBe(stale.url);
  });
});
