import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { I18n, type Lang } from '../../i18n/i18n';
import { Auth } from '../auth';
import { Login } from './login';

describe('the login page', () => {
  let auth: { login: jasmine.Spy };

  async function render(lang: Lang = 'kk') {
    TestBed.inject(I18n).setLang(lang);
    const fixture = TestBed.createComponent(Login);
    await fixture.whenStable();
    return fixture;
  }

  async function submit(fixture: Awaited<ReturnType<typeof render>>, login: string, password: string) {
    const el = fixture.nativeElement as HTMLElement;
    const [loginInput, passwordInput] = Array.from(el.querySelectorAll('input'));
    loginInput.value = login;
    loginInput.dispatchEvent(new Event('input'));
    passwordInput.value = password;
    passwordInput.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
  }

  beforeEach(() => {
    auth = { login: jasmine.createSpy('login') };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: Auth, useValue: auth }] });
  });

  it('says in Kazakh that the login or password is wrong', async () => {
    auth.login.and.rejectWith(
      new CombinedGraphQLErrors({ errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] }),
    );
    const fixture = await render();
    await submit(fixture, 'student01', 'wrong');
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')!.textContent).toContain(
      'Логин немесе құпия сөз қате',
    );
  });

  it('says when the server cannot be reached', async () => {
    auth.login.and.rejectWith(new TypeError('Failed to fetch'));
    const fixture = await render();
    await submit(fixture, 'student01', 'demo');
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')!.textContent).toContain(
      'Серверге қосылу мүмкін болмады',
    );
  });

  /** the server's refusal after too many failures: HTTP 429 with the GraphQL error, as apollo-angular reports it */
  const tooMany = (retryAfter: number) => {
    const bodyText = JSON.stringify({
      errors: [{ message: 'Too many failed sign-ins.', extensions: { code: 'TOO_MANY_REQUESTS', retryAfter } }],
    });
    return new ServerError('Response not successful: Received status code 429', {
      response: new Response(bodyText, { status: 429 }),
      bodyText,
    });
  };
  const alertText = (fixture: Awaited<ReturnType<typeof render>>) =>
    (fixture.nativeElement as HTMLElement).querySelector('[role=alert]')!.textContent;

  it('says how long to wait after too many attempts, in Kazakh, Russian and English', async () => {
    auth.login.and.rejectWith(tooMany(840));
    const expected: Record<Lang, string> = {
      kk: 'Кіру әрекеттері тым көп. 14 минуттан кейін қайталап көріңіз.',
      ru: 'Слишком много попыток входа. Повторите через 14 мин.',
      en: 'Too many sign-in attempts. Try again in 14 min.',
    };
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const fixture = await render(lang);
      await submit(fixture, 'student01', 'demo');
      expect(alertText(fixture)).toContain(expected[lang]);
      fixture.destroy();
    }
  });

  it('counts a short wait in seconds, whether the refusal came as HTTP 429 or as a GraphQL error', async () => {
    auth.login.and.rejectWith(tooMany(45));
    let fixture = await render('en');
    await submit(fixture, 'student01', 'demo');
    expect(alertText(fixture)).toContain('Try again in 45 s.');
    fixture.destroy();

    auth.login.and.rejectWith(
      new CombinedGraphQLErrors({
        errors: [{ message: 'x', extensions: { code: 'TOO_MANY_REQUESTS', retryAfter: 5 } }],
      }),
    );
    fixture = await render('ru');
    await submit(fixture, 'student01', 'demo');
    expect(alertText(fixture)).toContain('Повторите через 5 с.');
  });

  it('says "too many requests" when the server gave no wait', async () => {
    auth.login.and.rejectWith(
      new CombinedGraphQLErrors({ errors: [{ message: 'x', extensions: { code: 'TOO_MANY_REQUESTS' } }] }),
    );
    const fixture = await render('en');
    await submit(fixture, 'student01', 'demo');
    expect(alertText(fixture)).toContain('Too many requests. Wait a moment and try again.');
  });

  it('goes to the page asked for after signing in', async () => {
    auth.login.and.resolveTo(undefined);
    const router = TestBed.inject(Router);
    const navigate = spyOn(router, 'navigateByUrl').and.resolveTo(true);
    const fixture = await render();
    fixture.componentRef.setInput('returnUrl', '/attestation/exam-1');
    await submit(fixture, 'student01', 'demo');
    expect(auth.login).toHaveBeenCalledWith('student01', 'demo');
    expect(navigate).toHaveBeenCalledWith('/attestation/exam-1');
  });
});
