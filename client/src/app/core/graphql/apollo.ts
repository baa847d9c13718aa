import { HttpHeaders } from '@angular/common/http';
import { inject, type Provider } from '@angular/core';
import { ApolloLink, CombinedGraphQLErrors, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { provideApollo } from 'apollo-angular';
import { HttpLink } from 'apollo-angular/http';
import { OperationTypeNode } from 'graphql';
import { Session } from '../auth/session';
import { Connection } from './connection';

/**
 * Apollo with a split link: subscriptions over graphql-ws (the Connection's client), everything
 * else over HTTP with the Bearer token. A refused token ends the session (the shell then shows the login).
 */
export function provideGraphql(): Provider {
  return provideApollo(() => {
    const session = inject(Session);
    const connection = inject(Connection);

    const bearer = new SetContextLink(() => {
      const token = session.token();
      return token ? { headers: new HttpHeaders({ Authorization: `Bearer ${token}` }) } : {};
    });
    const expiredSession = new ErrorLink(({ error }) => {
      if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED') && session.token()) {
        session.end('expired');
      }
    });
    const http = ApolloLink.from([bearer, inject(HttpLink).create({ uri: '/graphql' })]);
    const ws = new GraphQLWsLink(connection.client);

    return {
      link: ApolloLink.from([
        expiredSession,
        ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
      ]),
      cache: new InMemoryCache({
        typePolicies: {
          // objects without an id are replaced whole when they change
          Exam: { fields: { task: { merge: false }, platform: { merge: false }, recording: { merge: false }, ticketBoard: { merge: false } } },
          Sitting: { fields: { grade: { merge: false } } },
          Answer: { fields: { files: { merge: false } } },
        },
      }),
    };
  });
}
