import { TestBed } from '@angular/core/testing';
import { LANGS, loadMessages } from '../app/core/i18n/i18n';
import { provideIcons } from '../app/core/layout/icons';

// Every language's messages at hand, so a spec's setLang('ru') switches at once, as in the app once one is loaded.
beforeAll(() => Promise.all(LANGS.map((lang) => loadMessages(lang))));

// Every spec gets the app's inline icons, as the app does (no icon font).
beforeEach(() => {
  TestBed.configureTestingModule({ providers: [provideIcons()] });
});
