// Refused input of a workflow step, explained in the reader's language: the API's code stays VALIDATION (400), the
// message is a sentence of the workflow catalogue (workflow.error.*) rather than a Chinese detail.
import type { MessageKey } from '../i18n/i18n.ts';
import { AppError } from '../web/app-error.ts';

type WorkflowErrorKey = Extract<MessageKey, `workflow.error.${string}`>;

export class WorkflowInputError extends AppError {
  constructor(
    readonly key: WorkflowErrorKey,
    params: Record<string, string | number> = {},
    field?: string,
  ) {
    super('VALIDATION', params, field);
  }

  override get messageKey(): MessageKey {
    return this.key;
  }
}
