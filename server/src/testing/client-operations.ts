import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

const CLIENT = path.resolve(__dirname, '../../../client/src');

function graphqlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? graphqlFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.graphql')
          ? [path.join(dir, entry.name)]
          : [],
    );
}

/** Apollo Client adds __typename to every selection set it sends but an operation's root; the limits must hold for what goes on the wire */
const withTypename = (document: DocumentNode): DocumentNode =>
  visit(document, {
    SelectionSet: (node: SelectionSetNode, _key, parent) =>
      (parent && 'kind' in parent && parent.kind === Kind.OPERATION_DEFINITION) ||
      node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')
        ? undefined
        : {
            ...node,
            selections: [
              ...node.selections,
              { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } } as FieldNode,
            ],
          },
  });

/** the web app's definitions (client/src/**\/*.graphql), read once */
let definitions: DefinitionNode[] | undefined;
const clientDefinitions = () =>
  (definitions ??= graphqlFiles(CLIENT).flatMap((file) => parse(fs.readFileSync(file, 'utf8')).definitions));

/** one operation or fragment with the fragments it uses (transitively), as the web app sends it */
function withFragments(root: OperationDefinitionNode | FragmentDefinitionNode): DocumentNode {
  const fragments = clientDefinitions().filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const used = new Set<string>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread: (spread) => {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        collect(fragments.find((f) => f.name.value === spread.name.value)!);
      },
    });
  collect(root);
  const document = {
    kind: Kind.DOCUMENT,
    definitions: [root, ...fragments.filter((f) => used.has(f.name.value) && f !== root)],
  } as DocumentNode;
  return withTypename(document);
}

/** each operation of the web app with the fragments it uses, as the web app sends it */
export function clientOperations(): { name: string; document: DocumentNode }[] {
  return clientDefinitions()
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ name: operation.name!.value, document: withFragments(operation) }));
}

const texts = new Map<string, string>();

/** the text the web app sends for one named operation, or for one named fragment with the fragments it uses */
export function clientOperation(name: string): string {
  let text = texts.get(name);
  if (text === undefined) {
    const root = clientDefinitions().find(
      (d): d is OperationDefinitionNode | FragmentDefinitionNode =>
        (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && d.name?.value === name,
    );
    if (!root) throw new Error(`no client operation or fragment named ${name}`);
    texts.set(name, (text = print(withFragments(root))));
  }
  return text;
}
