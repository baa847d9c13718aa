import { defaultFieldResolver, responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { AppError, locatedRefusal } from './errors';

/**
 * Puts a located refusal (errors.ts, `locatedRefusal`) on every Query and Mutation field: a refusal a root field
 * throws or rejects with leaves it already located at the field, so graphql-js passes it on instead of wrapping it
 * with two captured stack traces. The same message, extensions, path and locations reach the error formatter, with
 * the refusal as `originalError`. Anything else that is thrown (an unexpected fault, a GraphQLError of graphql's own)
 * passes untouched, located by graphql-js as before. Subscription fields are left alone (their pushes run on graphql-jit).
 */
export function locateRootRefusals(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        let result: unknown;
        try {
          result = resolve(source, args, context, info);
        } catch (error) {
          throw located(error, info);
        }
        return result instanceof Promise
          ? result.then(undefined, (error: unknown) => {
              throw located(error, info);
            })
          : result;
      };
    }
  }
  return schema;
}

function located(error: unknown, info: GraphQLResolveInfo): unknown {
  // passed on as it is: anything but a refusal, and a refusal located elsewhere (not in place: that one is thrown again)
  if (!(error instanceof AppError) || (Array.isArray(error.path) && error.originalError !== error)) return error;
  return locatedRefusal(error, info.fieldNodes, responsePathAsArray(info.path));
}
