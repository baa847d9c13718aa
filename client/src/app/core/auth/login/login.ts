import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { errorCode, retryAfterSeconds } from '../../graphql/errors';
import { I18n, type MessageParams } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/kk';
import { LanguageSwitch } from '../../layout/language-switch';
import { Auth } from '../auth';

/** What the page says about a refused sign-in: a wrong login or password, or — after too many — how long to wait. */
function loginRefusal(error: unknown): { key: MessageKey; params?: MessageParams } {
  const code = errorCode(error);
  if (code === 'UNAUTHENTICATED') return { key: 'auth.wrong' };
  const seconds = code === 'TOO_MANY_REQUESTS' ? retryAfterSeconds(error) : null;
  if (seconds === null) return { key: `error.${code}` };
  return seconds < 120
    ? { key: 'auth.tooManySeconds', params: { seconds } }
    : { key: 'auth.tooManyMinutes', params: { minutes: Math.ceil(seconds / 60) } };
}

@Component({
  selector: 'app-login',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    LanguageSwitch,
  ],
  templateUrl: './login.html',
  styleUrl: './login.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Login {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);

  /** where to go after signing in (from the guard) */
  readonly returnUrl = input<string>();
  /** set when the previous session ran out */
  readonly expired = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    login: ['', Validators.required],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<{ readonly key: MessageKey; readonly params?: MessageParams } | null>(null);

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const { login, password } = this.form.getRawValue();
      await this.auth.login(login, password);
      const target = this.returnUrl()?.startsWith('/') ? this.returnUrl()! : '/';
      await this.router.navigateByUrl(target);
    } catch (error) {
      this.error.set(loginRefusal(error));
    } finally {
      this.busy.set(false);
    }
  }
}
