import { HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Connection } from '../graphql/connection';
import { LoginDocument, LogoutDocument } from '../graphql/generated';
import { Session } from './session';

/** Signing in and out; the token itself lives in Session. */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);
  private readonly connection = inject(Connection);
  private readonly router = inject(Router);

  /** Rejects with the server's error (UNAUTHENTICATED for a wrong login or password). */
  async login(login: string, password: string): Promise<void> {
    const { data } = await firstValueFrom(
      this.apollo.mutate({ mutation: LoginDocument, variables: { login: login.trim(), password } }),
    );
    if (!data) throw new Error('login returned no data');
    await this.apollo.client.clearStore();
    this.connection.restart(); // a socket opened for the previous user must not carry over
    this.session.start(data.login.token, data.login.user);
  }

  async logout(): Promise<void> {
    // signed out here first, so the server closing this session's socket (4401) is not taken for an expiry
    const token = this.session.token();
    this.session.end();
    this.connection.restart();
    try {
      const headers = token ? new HttpHeaders({ Authorization: `Bearer ${token}` }) : undefined;
      await firstValueFrom(this.apollo.mutate({ mutation: LogoutDocument, context: { headers } }));
    } catch {
      // signing out locally is what matters; the token expires on the server anyway
    }
    await this.apollo.client.clearStore();
    await this.router.navigate(['/login']);
  }
}
