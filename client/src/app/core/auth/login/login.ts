import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { errorCode } from '../../graphql/errors';
import { I18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/kk';
import { LanguageSwitch } from '../../layout/language-switch';
import { Auth } from '../auth';

@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, LanguageSwitch],
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
  protected readonly error = signal<MessageKey | null>(null);

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
      const code = errorCode(error);
      this.error.set(code === 'UNAUTHENTICATED' ? 'auth.wrong' : `error.${code}`);
    } finally {
      this.busy.set(false);
    }
  }
}
