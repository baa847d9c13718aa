import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { settle } from '../testing/fakes';
import { App } from './app';
import { ServerClock } from './core/graphql/server-clock';

@Component({ selector: 'app-test-page', template: '<h1>the page</h1>' })
class TestPage {}

describe('the root while the first page loads', () => {
  /** the lazy chunk of a page: arrives when the spec says so */
  let arrive: () => void;
  const lazyPage = () =>
    new Promise<typeof TestPage>((resolve) => {
      arrive = () => resolve(TestPage);
    });

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'exam', loadComponent: lazyPage },
          { path: 'login', loadComponent: lazyPage },
          { path: 'guarded', canActivate: [() => inject(Router).parseUrl('/login')], children: [] },
        ]),
        { provide: ServerClock, useValue: { sync: () => Promise.resolve() } },
      ],
    });
  });

  async function start(url: string) {
    const fixture = TestBed.createComponent(App);
    const navigated = TestBed.inject(Router).navigateByUrl(url);
    await settle(10);
    fixture.detectChanges(); // not whenStable(): it waits for the navigation, which waits for the chunk
    return { fixture, el: fixture.nativeElement as HTMLElement, navigated };
  }

  it("keeps index.html's placeholder until the page's chunk has arrived, then shows the page alone", async () => {
    const { fixture, el, navigated } = await start('/exam');
    expect(el.querySelector('.boot[role=status]')?.textContent).toContain('Онлайн аттестаттау жүктелуде…');
    expect(el.querySelector('app-test-page')).toBeNull();

    arrive();
    await navigated;
    await fixture.whenStable();
    expect(el.querySelector('.boot')).toBeNull();
    expect(el.querySelector('app-test-page h1')?.textContent).toBe('the page');
  });

  it("follows a guard's redirect to the login page before it lets the placeholder go", async () => {
    const { fixture, el } = await start('/guarded');
    expect(TestBed.inject(Router).url).not.toBe('/login');
    expect(el.querySelector('.boot')).not.toBeNull();

    arrive();
    await settle(10);
    await fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/login');
    expect(el.querySelector('.boot')).toBeNull();
    expect(el.querySelector('app-test-page')).not.toBeNull();
  });
});
