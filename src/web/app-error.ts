// Typed errors with a stable code; one handler renders them as a Chinese page or a JSON error.
import type { MessageKey } from '../i18n/i18n.ts';

export type ErrorCode =
  | 'NOT_FOUND'
  | 'REGION_NOT_FOUND'
  | 'BOARD_NOT_FOUND'
  | 'VALIDATION'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  REGION_NOT_FOUND: 404,
  BOARD_NOT_FOUND: 404,
  VALIDATION: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.statusCode = STATUS[code];
  }

  get messageKey(): MessageKey {
    return `error.${this.code}`;
  }
}
