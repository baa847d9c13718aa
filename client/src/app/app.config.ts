import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { provideGraphql } from './core/graphql/apollo';
import { authInterceptor } from './core/http/auth-interceptor';
import { storedLang } from './core/i18n/stored-lang';
import { provideIcons } from './core/layout/icons';

// Zoneless change detection is Angular 21's default, so there is no zone provider here.
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // the XHR backend (not withFetch): fetch cannot report upload progress
    provideHttpClient(withInterceptors([authInterceptor])),
    provideGraphql(),
    provideIcons(),
    // a remembered Russian or English before the first page, so it never shows in Kazakh first (offline: Kazakh);
    // imported here only then, so the messages stay out of the app's first chunk
    provideAppInitializer(() =>
      storedLang() === 'kk'
        ? undefined
        : import('./core/i18n/i18n').then((m) => m.loadMessages()).catch(() => undefined),
    ),
  ],
};
