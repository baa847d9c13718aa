import { TestBed } from '@angular/core/testing';
import { provideIcons } from '../app/core/layout/icons';

// Every spec gets the app's inline icons, as the app does (no icon font).
beforeEach(() => {
  TestBed.configureTestingModule({ providers: [provideIcons()] });
});
