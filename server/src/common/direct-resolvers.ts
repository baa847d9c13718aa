import {
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage, type BuildSchemaOptions, type ContainerType } from 'type-graphql';

type Storage = ReturnType<typeof getMetadataStorage>;
type Param = Storage['params'][number];
type Handler = Storage['queries'][number];
type FieldResolverMeta = Storage['fieldResolvers'][number];
type FieldMeta = Storage['fields'][number];
/** a class as type-graphql's metadata holds it */
type Target = Handler['target'];
type Resolve = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;

/**
 * The resolver classes' instances, one each: type-graphql's container for buildSchema (schema.ts) and the instances
 * the direct bindings call, so both call the same object.
 */
export class ResolverInstances implements ContainerType {
  private readonly instances = new Map<Target, unknown>();

  get(type: new () => unknown): unknown {
    let instance = this.instances.get(type);
    if (instance === undefined) this.instances.set(type, (instance = new type()));
    return instance;
  }
}

/** what bindDirectResolvers did: `Type.field` names, for a spec and the log */
export interface DirectBindings {
  /** fields whose method type-graphql's wrapper no longer calls */
  readonly called: string[];
  /** plain property fields left to graphql's own property read (type-graphql's `simple` fields) */
  readonly read: string[];
}

/** a parameter's value, or FALLBACK when only type-graphql's conversion can make it */
type ParamValue = (root: unknown, args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;
const FALLBACK = Symbol('fallback');

/** the classes whose instances type-graphql hands over unchanged (its `convertToType`'s "simple types") */
const passedAsIs: readonly unknown[] = [String, Boolean, Number, Date];

/**
 * type-graphql calls every resolver through a wrapper that, at each call, builds its resolver data, looks the resolver
 * class up in its container, runs the middleware chain (empty or not), sorts the method's parameter list and maps it
 * to values, and makes any method with an `@Arg` asynchronous (argument validation is async even when off). A push of
 * one sitting to 5,000 students makes that ~100,000 times; most of it is for nothing.
 *
 * This replaces `resolve` with a direct call of the method, its arguments taken in index order, wherever the wrapper
 * does nothing else: no `@Authorized` roles (so the auth checker keeps running wherever it ran), no middleware, and
 * only `@Root`, `@Ctx`, `@Info` and scalar `@Arg` parameters without validation. A `@Root` that type-graphql would
 * convert (not already an instance of its type) or an `@Arg` holding a list goes to type-graphql's resolver for that
 * call. Plain `@Field` properties without roles or middleware lose their wrapper too, as type-graphql's own
 * `simpleResolvers` option would make them: graphql (and graphql-jit, inline) reads the property.
 *
 * Call it right after buildSchema with its options: it binds nothing unless they say `validate: false`, no
 * `validateFn`, no global middleware and a ResolverInstances container.
 */
export function bindDirectResolvers(
  schema: GraphQLSchema,
  /** the options `schema` was built with */
  options: Pick<BuildSchemaOptions, 'resolvers' | 'container' | 'validate' | 'validateFn' | 'globalMiddlewares'>,
): DirectBindings {
  const storage = getMetadataStorage();
  const bindings: DirectBindings = { called: [], read: [] };
  const { resolvers, container: instances } = options;
  // what type-graphql's wrapper would do for every field: then no field may go without it
  if (options.validate !== false || options.validateFn || options.globalMiddlewares?.length) return bindings;
  if (!(instances instanceof ResolverInstances)) return bindings;
  const ours = (handler: { target: Target }) => resolvers.includes(handler.target);

  const roots: Array<[GraphQLObjectType | null | undefined, Handler[]]> = [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
    [schema.getSubscriptionType(), storage.subscriptions],
  ];
  for (const [root, handlers] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const found = handlers.filter((handler) => ours(handler) && handler.schemaName === field.name);
      const resolve = found.length === 1 ? directCall(found[0], instances, field.resolve as Resolve) : undefined;
      if (resolve) {
        field.resolve = resolve;
        bindings.called.push(`${root.name}.${field.name}`);
      }
    }
  }

  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!(type instanceof GraphQLObjectType) || storage.objectTypes.filter((t) => t.name === type.name).length !== 1)
      continue;
    const fromInterfaces = new Set(
      storage.interfaceTypes
        .filter((it) => objectType.interfaceClasses?.includes(it.target))
        .flatMap((it) => (it.fields ?? []).map((f) => f.schemaName)),
    );
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || fromInterfaces.has(field.name)) continue;
      const fieldMeta = ownOrInherited(storage, objectType.target, field.name);
      if (!fieldMeta) continue;
      // the same choice as type-graphql's schema generator: the first field resolver of the declaring type's field
      const fieldResolver = storage.fieldResolvers.find(
        (it) =>
          (it.kind === 'internal' || ours(it)) &&
          it.getObjectType?.() === fieldMeta.target &&
          it.methodName === fieldMeta.name,
      );
      if (!isUnguarded(fieldMeta)) continue;
      if (fieldResolver) {
        const resolve = isExternal(fieldResolver)
          ? directCall(fieldResolver, instances, field.resolve as Resolve)
          : undefined;
        if (resolve) {
          field.resolve = resolve;
          bindings.called.push(`${type.name}.${field.name}`);
        }
      } else if (fieldMeta.name === fieldMeta.schemaName && !isMethod(objectType.target, fieldMeta.name)) {
        field.resolve = undefined;
        bindings.read.push(`${type.name}.${field.name}`);
      }
    }
  }
  return bindings;
}

/** the field's metadata on the type's class or the nearest class it extends (type-graphql merges a parent type's fields) */
function ownOrInherited(storage: Storage, target: Target, schemaName: string): FieldMeta | undefined {
  for (let type = target; type?.prototype !== undefined; type = Object.getPrototypeOf(type) as Target) {
    const declared = storage.objectTypes.filter((t) => t.target === type);
    if (declared.length !== 1) return undefined;
    const found = (declared[0].fields ?? []).filter((f) => f.target === type && f.schemaName === schemaName);
    if (found.length > 0) return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
}

const isUnguarded = (meta: { roles?: unknown[]; middlewares?: unknown[] }): boolean =>
  meta.roles === undefined && (meta.middlewares?.length ?? 0) === 0;

const isExternal = (meta: FieldResolverMeta): boolean => meta.kind === 'external';

/** a method on the class's prototype chain: graphql's default read would call it, type-graphql's returns it */
function isMethod(target: Target, name: string): boolean {
  for (let proto = target.prototype as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return typeof descriptor.value === 'function';
  }
  return false;
}

/** the direct call of a resolver method, or undefined when type-graphql's wrapper does more than call it */
function directCall(
  handler: Handler | FieldResolverMeta,
  instances: ResolverInstances,
  typeGraphql: Resolve | undefined,
): Resolve | undefined {
  if (!typeGraphql || !isUnguarded(handler)) return undefined;
  const params = [...(handler.params ?? [])].sort((a, b) => a.index - b.index);
  if (params.some((param, i) => param.index !== i)) return undefined;
  const values: ParamValue[] = [];
  for (const param of params) {
    const value = paramValue(param);
    if (!value) return undefined;
    values.push(value);
  }
  const instance = instances.get(handler.target as new () => unknown) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const method = handler.methodName;
  if (typeof instance[method] !== 'function') return undefined;
  const converts = values.some((value) => value !== contextValue && value !== infoValue);

  switch (values.length) {
    case 0:
      return () => instance[method]();
    case 1: {
      const [a] = values;
      return (root, args, context, info) => {
        const first = a(root, args, context, info);
        if (converts && first === FALLBACK) return typeGraphql(root, args, context, info);
        return instance[method](first);
      };
    }
    case 2: {
      const [a, b] = values;
      return (root, args, context, info) => {
        const first = a(root, args, context, info);
        const second = b(root, args, context, info);
        if (converts && (first === FALLBACK || second === FALLBACK)) return typeGraphql(root, args, context, info);
        return instance[method](first, second);
      };
    }
    default:
      return (root, args, context, info) => {
        const given = values.map((value) => value(root, args, context, info));
        if (converts && given.includes(FALLBACK)) return typeGraphql(root, args, context, info);
        return instance[method](...given);
      };
  }
}

const contextValue: ParamValue = (_root, _args, context) => context;
const infoValue: ParamValue = (_root, _args, _context, info) => info;

/** how a parameter's value is taken, exactly as type-graphql's getParams takes it, or undefined when not bindable */
function paramValue(param: Param): ParamValue | undefined {
  switch (param.kind) {
    case 'context': {
      const property = param.propertyName;
      return property ? (_root, _args, context) => (context as Record<string, unknown>)[property] : contextValue;
    }
    case 'info':
      return infoValue;
    case 'root': {
      const property = param.propertyName;
      const type = param.getType?.();
      const convertible = typeof type === 'function' && !(type instanceof GraphQLScalarType);
      return (root) => {
        const value = property ? (root as Record<string, unknown>)[property] : root;
        if (!convertible || value == null || value instanceof (type as Target)) return value;
        return FALLBACK;
      };
    }
    case 'arg': {
      if (param.validateFn || (param.validateSettings !== undefined && param.validateSettings !== false))
        return undefined;
      const type = param.getType();
      if (!(type instanceof GraphQLScalarType) && !passedAsIs.includes(type)) return undefined;
      const name = param.name;
      const scalar = type instanceof GraphQLScalarType;
      return (_root, args) => {
        const value = args[name];
        if (value == null) return value;
        if (Array.isArray(value)) return FALLBACK;
        return scalar || passedAsIs.includes((value as object).constructor) ? value : FALLBACK;
      };
    }
    default:
      return undefined;
  }
}
