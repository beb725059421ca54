import { z } from 'zod';

/**
 * The workflow.json shapes the OpenFn CLI accepts, as zod schemas. Unknown keys
 * are kept (loose objects) because Lightning exports carry extra fields.
 */
const jsonObject = z.record(z.string(), z.unknown());

export const edgeSchema = z.union([
  z.boolean(),
  z.string(),
  z.looseObject({
    condition: z.union([z.string(), z.boolean()]).optional(),
    label: z.string().optional(),
    disabled: z.boolean().optional(),
  }),
]);

export const nextSchema = z.union([z.string().min(1), z.record(z.string(), edgeSchema)]);

export const stepSchema = z.looseObject({
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  expression: z.string().optional(),
  adaptor: z.string().optional(),
  adaptors: z.array(z.string()).optional(),
  configuration: z.union([z.string(), jsonObject, z.null()]).optional(),
  state: z.union([z.string(), jsonObject]).optional(),
  next: nextSchema.optional(),
  // Trigger steps (Lightning v2 style): `{id, type: 'cron', openfn: {cron}, next}`.
  type: z.string().optional(),
  cron: z.string().optional(),
  openfn: z.looseObject({ cron: z.string().optional() }).optional(),
  enabled: z.boolean().optional(),
});
export type RawStep = z.infer<typeof stepSchema>;

export const optionsSchema = z.looseObject({
  start: z.string().optional(),
  end: z.string().optional(),
  timeout: z.number().int().positive().optional(),
});

export const workflowSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  start: z.string().optional(),
  steps: z.array(stepSchema).min(1, 'a workflow needs at least one step'),
  credentials: z.union([z.string(), jsonObject]).optional(),
});
export type RawWorkflow = z.infer<typeof workflowSchema>;

/** `{workflow: {...}, options}`: the execution-plan shape. */
export const executionPlanSchema = z.looseObject({
  id: z.string().optional(),
  workflow: workflowSchema,
  options: optionsSchema.optional(),
});

/** One line for the first problem zod found: `steps.1.next: Invalid input`. */
export function describeZodError(error: z.ZodError): string {
  const [first] = error.issues;
  if (!first) return 'invalid';
  const where = first.path.length ? first.path.join('.') : '(top level)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${where}: ${first.message}${more}`;
}
