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
  | 'INTERNAL'
  | 'RATE_LIMITED'
  | 'CSRF_INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INVALID_PHONE'
  | 'CODE_TOO_SOON'
  | 'CODE_LIMIT'
  | 'CODE_INVALID'
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_TOO_LONG'
  | 'PASSWORD_PERSONAL'
  | 'PASSWORD_GUESSABLE'
  | 'NICKNAME_INVALID'
  | 'PHONE_TAKEN'
  | 'LOGIN_FAILED'
  | 'LOGIN_LOCKED'
  | 'TOTP_INVALID'
  | 'TOTP_REQUIRED'
  | 'PASSWORD_MISMATCH'
  | 'USER_NOT_FOUND'
  | 'ROLE_SCOPE_INVALID'
  | 'TOKEN_NOT_FOUND'
  | 'FORM_INVALID'
  | 'BOARD_CLOSED'
  | 'TYPE_INVALID'
  | 'DOMAIN_INVALID'
  | 'TITLE_LENGTH'
  | 'BODY_LENGTH'
  | 'REMARKS_TOO_LONG'
  | 'LOCATION_TOO_LONG'
  | 'VISIBILITY_INVALID'
  | 'TOO_MANY_IMAGES'
  | 'IMAGE_INVALID'
  | 'IDEMPOTENCY_KEY_INVALID'
  | 'MESSAGE_NOT_FOUND'
  | 'WRONG_STATUS'
  | 'REJECT_REASON_INVALID'
  | 'DUPLICATE_INVALID';

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
  RATE_LIMITED: 429,
  CSRF_INVALID: 403,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_PHONE: 400,
  CODE_TOO_SOON: 429,
  CODE_LIMIT: 429,
  CODE_INVALID: 400,
  PASSWORD_TOO_SHORT: 400,
  PASSWORD_TOO_LONG: 400,
  PASSWORD_PERSONAL: 400,
  PASSWORD_GUESSABLE: 400,
  NICKNAME_INVALID: 400,
  PHONE_TAKEN: 409,
  LOGIN_FAILED: 401,
  LOGIN_LOCKED: 423,
  TOTP_INVALID: 401,
  TOTP_REQUIRED: 401,
  PASSWORD_MISMATCH: 400,
  USER_NOT_FOUND: 404,
  ROLE_SCOPE_INVALID: 400,
  TOKEN_NOT_FOUND: 404,
  FORM_INVALID: 400,
  BOARD_CLOSED: 400,
  TYPE_INVALID: 400,
  DOMAIN_INVALID: 400,
  TITLE_LENGTH: 400,
  BODY_LENGTH: 400,
  REMARKS_TOO_LONG: 400,
  LOCATION_TOO_LONG: 400,
  VISIBILITY_INVALID: 400,
  TOO_MANY_IMAGES: 400,
  IMAGE_INVALID: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  MESSAGE_NOT_FOUND: 404,
  WRONG_STATUS: 409,
  REJECT_REASON_INVALID: 400,
  DUPLICATE_INVALID: 400,
};

export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    /** The form field the error belongs to, so a page can show it next to that field. */
    readonly field?: string,
    /** For FORM_INVALID: every field's own error, so all are shown at once. */
    readonly fields: AppError[] = [],
  ) {
    super(code);
    this.name = 'AppError';
    this.statusCode = STATUS[code];
  }

  get messageKey(): MessageKey {
    return `error.${this.code}`;
  }
}
