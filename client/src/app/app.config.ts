import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { provideGraphql } from './core/graphql/apollo';
import { authInterceptor } from './core/http/auth-interceptor';
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
  ],
};
