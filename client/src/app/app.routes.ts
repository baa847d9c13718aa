import { Routes } from '@angular/router';

// Feature areas (student/, staff/, teacher/) are added here as lazy routes.
export const routes: Routes = [];
