import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CombinedGraphQLErrors } from '@apollo/client';
import { I18n } from '../../i18n/i18n';
import { Auth } from '../auth';
import { Login } from './login';

describe('the login page', () => {
  let auth: { login: jasmine.Spy };

  async function render() {
    TestBed.inject(I18n).setLang('kk');
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
    auth.login.and.rejectWith(new CombinedGraphQLErrors({ errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] }));
    const fixture = await render();
    await submit(fixture, 'student01', 'wrong');
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')!.textContent).toContain('Логин немесе құпия сөз қате');
  });

  it('says when the server cannot be reached', async () => {
    auth.login.and.rejectWith(new TypeError('Failed to fetch'));
    const fixture = await render();
    await submit(fixture, 'student01', 'demo');
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')!.textContent).toContain('Серверге қосылу мүмкін болмады');
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
