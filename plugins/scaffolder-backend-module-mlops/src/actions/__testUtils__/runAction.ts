import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** The context an action's handler takes, as createTemplateAction typed it from its schema. */
interface ContextOfAction {
  input: object;
  workspacePath: string;
}

/** An action, as far as running it goes. */
interface Runnable<C extends ContextOfAction> {
  handler(ctx: C): Promise<void>;
}

/**
 * The input a template step may give: any field of the action's schema, or none of it, since
 * each handler falls back to the schema's defaults itself; empty form fields come as undefined.
 */
export type StepInput<TInput> = { [K in keyof TInput]?: TInput[K] | undefined };

/** `StepInput` of `action`'s own input type. */
export type StepInputOf<A> = A extends Runnable<infer C>
  ? StepInput<C['input']>
  : never;

/** Fields of the mock context other than the input (workspacePath, isDryRun, user, …). */
export type ContextFields<A> = A extends Runnable<infer C>
  ? Partial<Omit<C, 'input'>>
  : never;

/**
 * Runs `action`'s handler on Backstage's mock action context with `input` and the `context`
 * fields given; resolves to the context, whose `output` is a jest mock.
 */
export async function runAction<C extends ContextOfAction>(
  action: Runnable<C>,
  input: StepInput<C['input']>,
  context: Partial<Omit<C, 'input'>> = {},
): Promise<C> {
  // Without a workspacePath the mock makes a temporary one.
  const mock = createMockActionContext({
    workspacePath: context.workspacePath,
  });
  // The mock takes only some fields (not isDryRun, say), so all are set on it. It is typed for
  // any JSON input and output; C is the same object as the action's schema types it (which for
  // `z.unknown()` fields is not JSON).
  const ctx = Object.assign(mock, context, { input }) as typeof mock & C;
  await action.handler(ctx);
  return ctx;
}
