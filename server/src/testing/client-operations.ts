import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

const CLIENT = path.resolve(__dirname, '../../../client/src');

function graphqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? graphqlFiles(path.join(dir, entry.name)) : entry.name.endsWith('.graphql') ? [path.join(dir, entry.name)] : []);
}

/** Apollo Client adds __typename to every selection set it sends; the limits must hold for what goes on the wire */
const withTypename = (document: DocumentNode): DocumentNode => visit(document, {
  SelectionSet: (node: SelectionSetNode) => node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename') ? undefined
    : { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } } as FieldNode] },
});

/** each operation of the web app (client/src/**\/*.graphql) with the fragments it uses, as the web app sends it */
export function clientOperations(): { name: string; document: DocumentNode }[] {
  const definitions = graphqlFiles(CLIENT).flatMap((file) => parse(fs.readFileSync(file, 'utf8')).definitions);
  const fragments = definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map((operation) => {
    const used = new Set<string>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) => visit(node, {
      FragmentSpread: (spread) => {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        collect(fragments.find((f) => f.name.value === spread.name.value)!);
      },
    });
    collect(operation);
    const document = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.filter((f) => used.has(f.name.value))] } as DocumentNode;
    return { name: operation.name!.value, document: withTypename(document) };
  });
}

/** the text the web app sends for one named operation */
export function clientOperation(name: string): string {
  const operation = clientOperations().find((o) => o.name === name);
  if (!operation) throw new Error(`no client operation named ${name}`);
  return print(operation.document);
}
