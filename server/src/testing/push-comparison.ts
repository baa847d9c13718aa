import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { pushExecution } from '../common/compiled-execution';

/** a result as it goes on the wire (errors as graphql-ws sends them) */
export const wire = (result: ExecutionResult): ExecutionResult =>
  JSON.parse(JSON.stringify({ ...result, errors: result.errors?.map((e) => e.toJSON()) })) as ExecutionResult;

/** one push executed both ways, each result as it would go on the wire */
export interface ComparedPush {
  operation?: string;
  expected: unknown;
  actual: unknown;
}

type Execution = (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;

/**
 * From now on every push is executed twice — `expected` (the reference), then `actual` (what the client receives) —
 * and both results are recorded in `compared`. Returns what puts the server's own execution back.
 */
export function comparePushes(compared: ComparedPush[], expected: Execution, actual: Execution): () => void {
  const original = pushExecution.execute;
  pushExecution.execute = async (args) => {
    const reference = wire(await expected(args));
    const served = await actual(args);
    compared.push({
      operation: args.document.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value,
      expected: reference,
      actual: wire(served),
    });
    return served;
  };
  return () => void (pushExecution.execute = original);
}
