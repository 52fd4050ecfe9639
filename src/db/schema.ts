// Row types of every table, as Kysely sees them.
import type { Generated } from 'kysely';

export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  kind: string;
  parent_code: string | null;
  has_boards: boolean | number;
}

export interface HandlingUnitsTable {
  id: number;
  region_code: string;
  parent_id: number | null;
  name: string;
  kind: string;
  level: 'province' | 'city' | 'county';
  responsibilities: string;
  active: boolean | number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface BoardsTable {
  id: number;
  region_code: string;
  post: string;
  title: string;
  holder_name: string | null;
  unit_id: number;
  active: boolean | number;
  sort_order: number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface UsersTable {
  id: Generated<number>;
  phone: string | null;
  password_hash: string | null;
  nickname: string;
  is_staff: boolean | number;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  last_login_at: string | null;
  deleted_at: string | null;
}

export interface SmsCodesTable {
  id: Generated<number>;
  phone: string;
  purpose: string;
  code_hash: string;
  ip: string;
  attempts: Generated<number>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  sid_hash: string;
  user_id: number | null;
  data: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<string>;
  expires_at: string;
}

export interface RoleGrantsTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  scope_type: string;
  scope_id: string;
  granted_by: number | null;
  created_at: Generated<string>;
}

export interface AppTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  channel: string;
  name: string;
  created_at: Generated<string>;
  last_used_at: string | null;
  expires_at: string;
}

export interface LoginThrottleTable {
  phone: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface AdminLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_user_id: number | null;
  detail: string;
  ip: string | null;
  created_at: Generated<string>;
}

export interface Database {
  regions: RegionsTable;
  handling_units: HandlingUnitsTable;
  boards: BoardsTable;
  users: UsersTable;
  sms_codes: SmsCodesTable;
  sessions: SessionsTable;
  role_grants: RoleGrantsTable;
  app_tokens: AppTokensTable;
  login_throttle: LoginThrottleTable;
  settings: SettingsTable;
  admin_log: AdminLogTable;
}
