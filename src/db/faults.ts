// What a database or storage error means for the caller (the database away, busy, out of space, read-only, or a bug),
// and logging such faults once per outage rather than once per failed query.

/** A fault of the database or the disk beneath it, as opposed to a bug: the request may succeed if tried again later. */
export type DatabaseFault = 'unavailable' | 'busy' | 'full' | 'read-only';

/** PostgreSQL SQLSTATEs by fault; class 08 (connection exception) is unavailable as a whole. */
const PG_STATES: Record<string, DatabaseFault> = {
  '57P01': 'unavailable', // admin_shutdown
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now (starting up, shutting down, in recovery)
  '57P05': 'unavailable', // idle_session_timeout
  '53300': 'unavailable', // too_many_connections
  '58P01': 'unavailable', // undefined_file (a broken installation or data directory)
  '57014': 'busy', // query_canceled: statement_timeout
  '55P03': 'busy', // lock_not_available: lock_timeout
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '53200': 'busy', // out_of_memory
  '53100': 'full', // disk_full
  '25006': 'read-only', // read_only_sql_transaction: a standby after a failover, or a read-only session
};

/** Socket errors of a connection to a database server. */
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** What pg and Kysely say, without a code, when a connection is lost, refused in time, or a reply never comes. */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Postgres connection has been discarded|Cannot use a pool after calling end)/;

/** The fault behind an error, or null when it is not one (a bug, a constraint, bad input). */
export function databaseFault(err: unknown): DatabaseFault | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read-only';
    if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PROTOCOL')
      return 'unavailable';
    if (NETWORK_ERRORS.has(code)) return 'unavailable';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (Object.hasOwn(PG_STATES, code)) return PG_STATES[code]!;
      if (code.startsWith('08')) return 'unavailable';
    }
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) return 'unavailable';
  // An AggregateError (a host with several addresses, all refusing) carries the socket errors inside.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0 && inner.every((e) => databaseFault(e) === 'unavailable'))
    return 'unavailable';
  return null;
}

/** How each fault reads in a log line: English first, so an operator can search for it. */
export const FAULT_LOG_TEXT: Record<DatabaseFault, string> = {
  unavailable: 'database unavailable（数据库无法连接或无响应）',
  busy: 'database busy（数据库被占用或语句超时）',
  full: 'disk full（磁盘已满）',
  'read-only': 'database read-only（数据库或磁盘只读）',
};

export interface FaultLogger {
  warn(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
}

/** How long a continuing fault stays quiet before it is logged again, with the count of failures in between. */
const REMIND_MS = 10 * 60_000;

/**
 * Logs the first failure of an outage, then nothing until it ends (or again every `remindMs` while it lasts), and
 * once that it ended. Errors that are not database faults are logged every time, as before.
 */
export function faultLog(log: FaultLogger, what: string, remindMs = REMIND_MS) {
  let down: DatabaseFault | null = null;
  let loggedAt = 0;
  let quiet = 0;
  return {
    failed(err: unknown, msg: string): void {
      const fault = databaseFault(err);
      if (!fault) {
        log.warn({ err }, msg);
        return;
      }
      const now = Date.now();
      if (fault === down && now - loggedAt < remindMs) {
        quiet += 1;
        return;
      }
      const more = fault === down && quiet > 0 ? `，此前 ${quiet} 次同样的失败未记录` : '';
      log.warn({ err, fault }, `${msg}: ${FAULT_LOG_TEXT[fault]}${more}（恢复前不再逐次记录）`);
      down = fault;
      loggedAt = now;
      quiet = 0;
    },
    ok(): void {
      if (down === null) return;
      log.info?.({}, `${what}已恢复${quiet > 0 ? `（期间另有 ${quiet} 次失败未记录）` : ''}`);
      down = null;
      quiet = 0;
    },
  };
}

/** A file-system error code as the cause an operator reads. */
export function fileSystemCause(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return '权限不足（运行平台的用户不能写入）';
    case 'EROFS':
      return '所在文件系统为只读';
    case 'ENOSPC':
    case 'EDQUOT':
      return '磁盘已满';
    case 'ENOTDIR':
    case 'EEXIST':
      return '路径中有一段是文件而不是目录';
    case 'ENOENT':
      return '不存在';
    default:
      return code ?? '未知原因';
  }
}
