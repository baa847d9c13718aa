import { type EnvironmentProviders, inject, provideEnvironmentInitializer, type Provider } from '@angular/core';
import { ApolloLink, CombinedGraphQLErrors, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { provideApollo } from 'apollo-angular';
import { HttpLink } from 'apollo-angular/http';
import { OperationTypeNode } from 'graphql';
import { Session } from '../auth/session';
import { Connection } from './connection';
import { refetchOnReconnect } from './reconnect';

/**
 * Apollo with a split link: subscriptions over graphql-ws (the Connection's client), everything
 * else over HTTP (HttpClient, whose interceptor adds the Bearer token), and one reconnect hook for every watched query. A refused token ends the session (the shell then shows the login).
 */
export function provideGraphql(): (Provider | EnvironmentProviders)[] {
  return [
    provideApollo(() => {
      const session = inject(Session);
      const connection = inject(Connection);

      const expiredSession = new ErrorLink(({ error }) => {
        if (
          CombinedGraphQLErrors.is(error) &&
          error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED') &&
          session.token()
        ) {
          session.end('expired');
        }
      });
      // the token goes on through HttpClient's auth interceptor (core/http/auth-interceptor.ts)
      const http = inject(HttpLink).create({ uri: '/graphql' });
      const ws = new GraphQLWsLink(connection.client);

      return {
        link: ApolloLink.from([
          expiredSession,
          ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
        ]),
        cache: new InMemoryCache({
          typePolicies: {
            // objects without an id are replaced whole when they change
            Exam: {
              fields: {
                task: { merge: false },
                platform: { merge: false },
                recording: { merge: false },
                ticketBoard: { merge: false },
              },
            },
            Sitting: { fields: { grade: { merge: false } } },
            Answer: { fields: { files: { merge: false } } },
          },
        }),
      };
    }),
    provideEnvironmentInitializer(refetchOnReconnect),
  ];
}
