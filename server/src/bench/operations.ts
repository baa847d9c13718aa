import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';

/** The exam page's own document (client/src/app/features/student/exam-page/exam-page.graphql): what students really send. */
const EXAM_PAGE = path.resolve(__dirname, '../../../client/src/app/features/student/exam-page/exam-page.graphql');

/** One named operation (or fragment) of the exam page with the fragments it uses (transitively), as one document's text. */
export function examPageOperation(name: string): string {
  let text = texts.get(name);
  if (!text) texts.set(name, (text = extract(name)));
  return text;
}

const texts = new Map<string, string>();

function extract(name: string): string {
  const document = parse(fs.readFileSync(EXAM_PAGE, 'utf8'));
  const fragments = new Map(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => [d.name.value, d]));
  const operation = document.definitions.find((d) => (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && d.name?.value === name);
  if (!operation) throw new Error(`exam-page.graphql has no operation or fragment ${name}`);
  const needed = new Map<string, DefinitionNode>();
  const collect = (node: DefinitionNode) => visit(node, {
    FragmentSpread(spread) {
      const fragment = fragments.get(spread.name.value);
      if (fragment && !needed.has(fragment.name.value)) {
        needed.set(fragment.name.value, fragment);
        collect(fragment);
      }
    },
  });
  collect(operation);
  return [operation, ...needed.values()].map((d) => print(d)).join('\n\n');
}
